import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a vCPU that halted costs the first work after it wakes (issue 15, S2): the same compiled work (200 puts and
 * removes of a ConcurrentHashMap) timed right after a 300 ms sleep and then at once, 40 rounds, medians.
 *
 *     $JAVA_HOME/bin/java -XX:TieredStopAtLevel=1 bench/IdleCpuProbe.java
 */
public class IdleCpuProbe {
    private static final Map<Long, Runnable> MAP = new ConcurrentHashMap<>();

    private static long work(int k) {
        long s = 0;
        for (int i = 0; i < 200; i++) {
            MAP.put((long) i + k, () -> { });
            s += MAP.remove((long) i + k) != null ? 1 : 0;
        }
        return s;
    }

    public static void main(String[] args) throws InterruptedException {
        for (int i = 0; i < 20_000; i++) work(i);
        long[] afterSleep = new long[40];
        long[] atOnce = new long[40];
        for (int r = 0; r < 40; r++) {
            Thread.sleep(300);
            long t0 = System.nanoTime();
            work(r);
            long t1 = System.nanoTime();
            work(r + 1);
            long t2 = System.nanoTime();
            afterSleep[r] = (t1 - t0) / 1000;
            atOnce[r] = (t2 - t1) / 1000;
        }
        Arrays.sort(afterSleep);
        Arrays.sort(atOnce);
        System.out.println("after a 300 ms sleep: p50 " + afterSleep[20] + " us; at once: " + atOnce[20] + " us");
    }
}
