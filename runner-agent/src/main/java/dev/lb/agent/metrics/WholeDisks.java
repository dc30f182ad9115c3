package dev.lb.agent.metrics;

import java.util.Set;

/**
 * Which /proc/diskstats rows are whole physical disks, so that each byte is counted once.
 *
 * <ul>
 *   <li>Partitions are left out (their disk counts them already). The kernel names a partition after its disk, with
 *       a {@code p} when the disk's name ends in a digit: {@code sda} → {@code sda1}, {@code nvme0n1} →
 *       {@code nvme0n1p1}, {@code mmcblk0} → {@code mmcblk0p1}. A row is a partition when its name, less that
 *       suffix, is another row of the file (the disk is always listed), so {@code nvme0n10} (namespace 10) and
 *       {@code mmcblk0} stay disks.</li>
 *   <li>{@code dm-*} (LVM, crypt) and {@code md*} (software RAID) are left out: they are stacked on disks that are
 *       counted, and counting both would count their I/O twice. Same for {@code loop*}, whose files live on a
 *       counted disk.</li>
 *   <li>{@code ram*} and {@code zram*} are memory, not disk, and are left out.</li>
 * </ul>
 */
final class WholeDisks implements CounterTable.Selector {
    private static final String[] STACKED_OR_MEMORY = {"loop", "ram", "zram", "dm-", "md"};

    @Override
    public boolean counts(String name, Set<String> allNames) {
        for (String prefix : STACKED_OR_MEMORY) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return !isPartition(name, allNames);
    }

    static boolean isPartition(String name, Set<String> allNames) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        if (end == name.length() || end == 0) {
            return false;
        }
        if (end >= 2 && name.charAt(end - 1) == 'p' && Character.isDigit(name.charAt(end - 2))
                && allNames.contains(name.substring(0, end - 1))) {
            return true;
        }
        return allNames.contains(name.substring(0, end));
    }
}
