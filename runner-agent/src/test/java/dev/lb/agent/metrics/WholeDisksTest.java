package dev.lb.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WholeDisksTest {
    private static final Set<String> DEVICES = Set.of("sda", "sda1", "sda15", "sdp", "sdp1", "sdba", "nvme0n1",
            "nvme0n1p1", "nvme0n10", "mmcblk0", "mmcblk0p1", "vda", "vda1", "xvda", "xvda2", "sr0", "loop0", "loop0p1",
            "ram0", "zram0", "dm-0", "dm-12", "md0", "md127", "md0p1", "nbd0");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "sda, true", "sda1, false", "sda15, false", "sdp, true", "sdp1, false", "sdba, true",
        "nvme0n1, true", "nvme0n1p1, false", "nvme0n10, true", "mmcblk0, true", "mmcblk0p1, false",
        "vda, true", "vda1, false", "xvda, true", "xvda2, false", "sr0, true", "nbd0, true",
        "loop0, false", "loop0p1, false", "ram0, false", "zram0, false", "dm-0, false", "dm-12, false",
        "md0, false", "md127, false", "md0p1, false",
    })
    void onlyWholePhysicalDisksCount(String name, boolean counted) {
        assertEquals(counted, new WholeDisks().counts(name, DEVICES));
    }
}
