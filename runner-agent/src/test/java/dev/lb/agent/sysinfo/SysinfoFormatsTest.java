package dev.lb.agent.sysinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formats the collector reads, in the variants other util-linux versions and kernels write. */
class SysinfoFormatsTest {
    @Test
    void lscpuOfUtilLinux239NestsFieldsUnderChildren() throws IOException {
        Map<String, String> f = LscpuJson.parse("""
                {"lscpu": [
                  {"field": "Architecture:", "data": "x86_64", "children": [
                    {"field": "CPU op-mode(s):", "data": "32-bit, 64-bit"}]},
                  {"field": "Vendor ID:", "data": "GenuineIntel", "children": [
                    {"field": "Model name:", "data": "Intel(R) Core(TM) i7-8565U CPU @ 1.80GHz", "children": [
                      {"field": "Core(s) per socket:", "data": "4"},
                      {"field": "Socket(s):", "data": "1"},
                      {"field": "CPU max MHz:", "data": "4600.0000"}]}]}]}
                """);
        assertEquals("GenuineIntel", f.get("Vendor ID"));
        assertEquals("Intel(R) Core(TM) i7-8565U CPU @ 1.80GHz", f.get("Model name"));
        assertEquals("4", f.get("Core(s) per socket"));
        assertEquals("4600.0000", f.get("CPU max MHz"));
    }

    @Test
    void lsblkBefore233GivesEveryValueAsAString() throws IOException {
        List<LsblkJson.Disk> d = LsblkJson.disks("""
                {"blockdevices": [
                  {"name": "sda", "model": "Samsung SSD 860 ", "size": "500107862016", "rota": "0", "type": "disk"},
                  {"name": "sr0", "model": "DVD", "size": "1073741312", "rota": "1", "type": "rom"},
                  {"name": "loop0", "model": null, "size": "4096", "rota": "0", "type": "loop"}]}
                """);
        assertEquals(List.of(new LsblkJson.Disk("sda", "Samsung SSD 860", 500107862016L, false)), d);
    }

    @Test
    void notLsblkOutputIsAnErrorNotAnEmptyList() {
        assertThrows(IOException.class, () -> LsblkJson.disks("{\"devices\": []}"));
    }

    @Test
    void mountPointsWithSpacesAreUnescapedAndTheLongestPrefixHoldsAPath() {
        List<MountInfo.Mount> mounts = MountInfo.parse("""
                27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
                42 27 254:1 / /mnt/my\\040disk rw,relatime shared:1 - xfs /dev/vdb1 rw
                43 27 254:2 / /mnt/my rw,relatime - btrfs /dev/vdc rw
                """);
        assertEquals("/mnt/my disk", mounts.get(1).mountPoint());
        assertEquals("xfs", MountInfo.holding(mounts, "/mnt/my disk/runs").orElseThrow().type());
        assertEquals("btrfs", MountInfo.holding(mounts, "/mnt/my/x").orElseThrow().type());
        assertEquals("ext4", MountInfo.holding(mounts, "/mnt/myself").orElseThrow().type());
    }

    @Test
    void aCpuListNamesRangesAndSingles() {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuList.parse("0-3,8,10-11\n"));
        assertThrows(IllegalArgumentException.class, () -> CpuList.parse("0-a"));
    }

    @Test
    void osReleaseValuesLoseTheirQuotes() {
        Map<String, String> r = KeyValueText.osRelease("# comment\nPRETTY_NAME=\"Ubuntu 24.04 LTS\"\nID=ubuntu\n"
                + "VERSION_ID='24.04'\n");
        assertEquals("Ubuntu 24.04 LTS", r.get("PRETTY_NAME"));
        assertEquals("ubuntu", r.get("ID"));
        assertEquals("24.04", r.get("VERSION_ID"));
    }

    @Test
    void theClockOffsetIsTheTargetsTimeMinusTheMiddleOfTheShortestRoundTrip() {
        Findings f = new Findings();
        // probe 1: sent 100.000, answered at 100.600 (target), back at 100.400: round trip 400 ms, offset +400 ms
        // probe 2: sent 100.400, answered at 100.560, back at 100.500: round trip 100 ms, offset +110 ms (used)
        ClockOffset.measure(f, List.of("100.000 100.600", "100.400 100.560", "100.500 0"));
        ObjectNode c = (ObjectNode) f.toJson().get("clock");

        assertEquals(110.0, c.get("offset_ms").asDouble());
        assertEquals(100.0, c.get("round_trip_ms").asDouble());
        assertEquals(50.0, c.get("uncertainty_ms").asDouble());
        assertEquals(2, c.get("probes").asInt());
    }

    @Test
    void aClockReadingThatIsNotTwoTimesLeavesTheOffsetUnread() {
        Findings f = new Findings();
        ClockOffset.measure(f, List.of("1700000000.1 %N", "1700000000.2 1700000000.2"));
        ObjectNode s = f.toJson();

        assertTrue(!s.has("clock"));
        assertTrue(s.at("/unread/clock.offset_ms").asText().contains("'1700000000.1 %N'"));
    }
}
