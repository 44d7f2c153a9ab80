package dev.ddbcdc.example;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's demo, run as a test so that it cannot rot. */
class DemoMainTest {

    @Test
    void everyChangeOfTheDemoArrives() throws Exception {
        DemoMain.Summary summary = DemoMain.run(false);
        assertTrue(summary.complete(), summary.toString());
        assertEquals(Map.of("READ", 20, "INSERT", 20 + 5, "MODIFY", 3, "REMOVE", 1), summary.perOperation());
    }
}
