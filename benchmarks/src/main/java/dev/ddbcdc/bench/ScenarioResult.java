package dev.ddbcdc.bench;

import java.util.ArrayList;
import java.util.List;

/** What a scenario measured: its figures, and notes on setup, costs and (for a missed target) the profile. */
final class ScenarioResult {

    final String title;
    final String setup;
    final List<Figure> figures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    double seconds;
    String loadAverages = "";

    ScenarioResult(String title, String setup) {
        this.title = title;
        this.setup = setup;
    }

    ScenarioResult figure(Figure figure) {
        figures.add(figure);
        return this;
    }

    ScenarioResult note(String note) {
        notes.add(note);
        return this;
    }

    boolean anyMissed() {
        return figures.stream().anyMatch(f -> f.hasTarget() && !f.met());
    }
}
