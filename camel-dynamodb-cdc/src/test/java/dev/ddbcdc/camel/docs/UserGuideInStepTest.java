package dev.ddbcdc.camel.docs;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The option and header tables of docs/user-guide.md are rendered from the generated component JSON, never
 * hand-copied. This test fails when they drift; {@code -Ddocs.update=true} rewrites them.
 */
class UserGuideInStepTest {

    static final Path GUIDE = Path.of("..", "docs", "user-guide.md");

    @Test
    void optionAndHeaderTablesMatchTheComponentJson() throws Exception {
        JsonObject json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/dev/ddbcdc/camel/dynamodb-cdc.json")) {
            json = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String guide = Files.readString(GUIDE);
        String updated = replaceSection(guide, "options", options(json.getMap("properties")));
        updated = replaceSection(updated, "headers", headers(json.getMap("headers")));
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(GUIDE, updated);
        }
        assertEquals(updated, guide, "docs/user-guide.md is out of step with the component JSON;"
                                     + " run mvn test -Dtest=UserGuideInStepTest -Ddocs.update=true");
    }

    @SuppressWarnings("unchecked")
    static String options(Map<String, Object> properties) {
        StringBuilder table = new StringBuilder("| option | group | type | default | description |\n"
                                                + "| --- | --- | --- | --- | --- |\n");
        properties.forEach((name, value) -> {
            Map<String, Object> option = (Map<String, Object>) value;
            Object enums = option.get("enum");
            String type = enums != null ? "one of " + String.join(", ", (Iterable<String>) enums)
                    : "duration".equals(option.get("type")) ? "duration (ms, or 500ms, 10s, 5m)"
                    : String.valueOf(option.get("type"));
            Object defaultValue = option.get("defaultValue");
            table.append("| `").append(name).append("` | ").append(option.get("group")).append(" | ").append(type)
                    .append(" | ").append(defaultValue == null ? "" : "`" + defaultValue + "`").append(" | ")
                    .append(cell(option.get("description")))
                    .append(Boolean.TRUE.equals(option.get("secret")) ? " Secret: masked in logs." : "")
                    .append(" |\n");
        });
        return table.toString();
    }

    @SuppressWarnings("unchecked")
    static String headers(Map<String, Object> headers) {
        StringBuilder table = new StringBuilder("| header | type | description |\n| --- | --- | --- |\n");
        headers.forEach((name, value) -> {
            Map<String, Object> header = (Map<String, Object>) value;
            table.append("| `").append(name).append("` | ").append(cell(header.get("javaType"))).append(" | ")
                    .append(cell(header.get("description"))).append(" |\n");
        });
        return table.toString();
    }

    static String cell(Object text) {
        return String.valueOf(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String replaceSection(String document, String name, String content) {
        String start = "<!-- " + name + ":start -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = document.indexOf(start);
        int to = document.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError("docs/user-guide.md lacks the markers " + start.trim() + " ... " + end);
        }
        return document.substring(0, from + start.length()) + content + document.substring(to);
    }
}
