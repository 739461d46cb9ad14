package dev.pythread.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HyperfineTest {

    @Test
    void readsTheMedianOfHyperfine115sCsv() {
        List<String> csv = List.of("command,mean,stddev,median,user,system,min,max",
                "no agent,0.0539,0.0043,0.055884232000000006,0.0159,0.0264,0.0489,0.0570",
                "agent,0.1321,0.0082,0.13099840000000001,0.1037,0.0347,0.1245,0.1409");
        assertEquals(55.884, Hyperfine.median(csv, "no agent"), 0.001);
        assertEquals(130.998, Hyperfine.median(csv, "agent"), 0.001);
    }

    @Test
    void readsTheWallClockMedianOfLaterCsvs() {
        List<String> csv = List.of("command,time_wall_clock_unit,time_wall_clock_mean,time_wall_clock_stddev,"
                + "time_wall_clock_median,time_wall_clock_min,time_wall_clock_max",
                "agent,s,0.13,0.01,0.125,0.12,0.14");
        assertEquals(125, Hyperfine.median(csv, "agent"), 0.001);
    }
}
