package dev.ddbcdc.camel;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dynamodb-cdc-source Kamelet against the component's generated option metadata (dynamodb-cdc.json): every
 * property is a real endpoint option of a compatible type and default, secrets are marked as such, and optional
 * properties are passed as optional placeholders. Also keeps the properties table of docs/kamelet.md in step with the
 * Kamelet; {@code -Ddocs.update=true} rewrites it.
 */
class KameletDefinitionTest {

    /** Where camel-kamelet looks by default (classpath:kamelets), so the component jar brings the Kamelet. */
    static final String KAMELET = "/kamelets/dynamodb-cdc-source.kamelet.yaml";
    static final String OPTIONS = "/META-INF/dev/ddbcdc/camel/dynamodb-cdc.json";
    static final Path DOC = Path.of("..", "docs", "kamelet.md");

    /** Defaults the Kamelet deliberately sets apart from the component's, and why (docs/kamelet.md says so too). */
    static final Map<String, String> DELIBERATE_DEFAULTS = Map.of(
            "outputFormat", "CLOUDEVENTS: a Kamelet's sink (Knative, Kafka, HTTP) needs a serialized body");

    static Map<String, Object> kamelet;
    static JsonObject json;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = KameletDefinitionTest.class.getResourceAsStream(KAMELET)) {
            assertNotNull(in, KAMELET + " is not on the classpath");
            kamelet = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
        }
        try (InputStream in = KameletDefinitionTest.class.getResourceAsStream(OPTIONS)) {
            json = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    @Test
    void resourceFollowsTheCatalogConventions() {
        assertEquals("camel.apache.org/v1", kamelet.get("apiVersion"));
        assertEquals("Kamelet", kamelet.get("kind"));
        Map<String, Object> metadata = map(kamelet, "metadata");
        assertEquals("dynamodb-cdc-source", metadata.get("name"), "the name camel-kamelet derives from the file name");
        assertEquals("source", map(metadata, "labels").get("camel.apache.org/kamelet.type"));
        Map<String, Object> annotations = map(metadata, "annotations");
        Map<String, Object> component = json.getMap("component");
        assertEquals(component.get("supportLevel"), annotations.get("camel.apache.org/kamelet.support.level"));
        assertEquals(component.get("version"), annotations.get("camel.apache.org/catalog.version"));
        for (String annotation : List.of("camel.apache.org/provider", "camel.apache.org/kamelet.group",
                "camel.apache.org/kamelet.namespace")) {
            assertFalse(String.valueOf(annotations.get(annotation)).isBlank(), annotation);
        }

        Map<String, Object> spec = map(kamelet, "spec");
        Map<String, Object> definition = map(spec, "definition");
        assertFalse(String.valueOf(definition.get("title")).isBlank());
        assertFalse(String.valueOf(definition.get("description")).isBlank());
        assertEquals("object", definition.get("type"));
        assertEquals(List.of("table", "region"), definition.get("required"));

        String dependency = "mvn:" + component.get("groupId") + ":" + component.get("artifactId") + ":"
                            + component.get("version");
        assertEquals(List.of(dependency, "camel:kamelet"), spec.get("dependencies"),
                "the component at this project's version, and camel-kamelet");

        Map<String, Object> from = map(map(spec, "template"), "from");
        assertEquals(component.get("scheme") + ":{{table}}", from.get("uri"));
        List<?> steps = (List<?>) from.get("steps");
        assertEquals(List.of(Map.of("to", "kamelet:sink")), steps);
    }

    @Test
    void everyPropertyIsAnEndpointOptionOfACompatibleTypeAndDefault() {
        Map<String, Object> options = json.getMap("properties");
        List<String> problems = new ArrayList<>();
        properties().forEach((name, property) -> {
            Map<String, Object> option = map(options, name);
            if (option == null) {
                problems.add(name + ": no endpoint option of that name");
                return;
            }
            for (String field : List.of("title", "description", "type")) {
                if (property.get(field) == null || String.valueOf(property.get(field)).isBlank()) {
                    problems.add(name + ": no " + field);
                }
            }
            String optionType = (String) option.get("type");
            String type = (String) property.get("type");
            Set<String> compatible = switch (optionType) {
                case "string", "enum" -> Set.of("string");
                case "boolean" -> Set.of("boolean");
                case "integer" -> Set.of("integer");
                case "number" -> Set.of("number");
                // milliseconds, or a value with a unit (500ms, 10s, 5m)
                case "duration" -> Set.of("string", "integer");
                // a bean reference: #bean:name
                case "object" -> Set.of("string");
                default -> Set.of();
            };
            if (!compatible.contains(type)) {
                problems.add(name + ": type " + type + " for an option of type " + optionType);
            }
            if (!Objects.equals(option.get("enum"), property.get("enum"))) {
                problems.add(name + ": enum " + property.get("enum") + ", the option's is " + option.get("enum"));
            }
            Object kameletDefault = property.get("default");
            Object optionDefault = option.get("defaultValue");
            if (kameletDefault != null && !DELIBERATE_DEFAULTS.containsKey(name)
                && !String.valueOf(kameletDefault).equals(String.valueOf(optionDefault))) {
                problems.add(name + ": default " + kameletDefault + ", the component's is " + optionDefault);
            }
            if (DELIBERATE_DEFAULTS.containsKey(name) && kameletDefault == null) {
                problems.add(name + ": listed as a deliberate default, but has none");
            }
        });
        assertEquals(List.of(), problems);
        assertEquals(Set.of("path"), Set.of(map(options, "table").get("kind")), "table is the URI path");
    }

    @Test
    void secretsArePasswordsAndOnlySecretsAre() {
        Map<String, Object> options = json.getMap("properties");
        List<String> problems = new ArrayList<>();
        properties().forEach((name, property) -> {
            Map<String, Object> option = map(options, name);
            if (option == null) {
                return; // reported by everyPropertyIsAnEndpointOptionOfACompatibleTypeAndDefault
            }
            boolean secret = Boolean.TRUE.equals(option.get("secret"));
            boolean password = "password".equals(property.get("format"));
            List<?> descriptors = (List<?>) property.getOrDefault("x-descriptors", List.of());
            if (secret && !password) {
                problems.add(name + ": secret, but not format: password");
            }
            if (password && !secret) {
                problems.add(name + ": format: password, but the option is not secret");
            }
            if (secret && !descriptors.contains("urn:camel:group:credentials")) {
                problems.add(name + ": secret, but not in the credentials group (urn:camel:group:credentials)");
            }
        });
        assertEquals(List.of(), problems);
        // the credentials a Kamelet user needs are exposed
        for (String name : List.of("accessKey", "secretKey", "sessionToken", "profileCredentialsName",
                "useDefaultCredentialsProvider", "stsRoleArn")) {
            assertTrue(properties().containsKey(name), name);
        }
    }

    /**
     * Required properties and those with a default are always set, so they are passed as {{name}}; every other one is
     * passed as {{?name}}, which Camel drops when the property is absent, so that the component's own default (or a
     * component-level setting) applies.
     */
    @Test
    void optionalPropertiesArePassedOnlyWhenSet() {
        Map<String, Object> spec = map(kamelet, "spec");
        List<?> required = (List<?>) map(spec, "definition").get("required");
        Map<String, Object> parameters = map(map(map(spec, "template"), "from"), "parameters");
        Map<String, String> expected = new LinkedHashMap<>();
        properties().forEach((name, property) -> {
            if (!name.equals("table")) {
                boolean alwaysSet = required.contains(name) || property.containsKey("default");
                expected.put(name, alwaysSet ? "{{" + name + "}}" : "{{?" + name + "}}");
            }
        });
        assertEquals(expected, parameters);
    }

    @Test
    void outputDataTypesDescribeTheComponentsHeadersAndFormats() {
        Map<String, Object> out = map(map(map(kamelet, "spec"), "dataTypes"), "out");
        Map<String, Object> headers = map(out, "headers");
        Map<String, Object> componentHeaders = new java.util.LinkedHashMap<>(json.getMap("headers"));
        // the batch headers are on batch exchanges only (batchSize > 1), which a Kamelet source of events never emits
        componentHeaders.keySet().removeIf(name -> name.startsWith("CamelDynamoDbCdcBatch"));
        assertEquals(componentHeaders.keySet(), headers.keySet(), "the event headers, as the component declares them");
        headers.forEach((name, value) -> {
            String javaType = (String) map(componentHeaders, name).get("javaType");
            String expected = javaType.startsWith("java.util.Map") ? "object"
                    : javaType.equals("Long") ? "integer" : javaType.toLowerCase(Locale.ROOT);
            assertEquals(expected, ((Map<?, ?>) value).get("type"), name);
        });

        List<?> formats = (List<?>) map(json.getMap("properties"), "outputFormat").get("enum");
        Map<String, Object> types = map(out, "types");
        assertEquals(formats.stream().map(f -> f.toString().toLowerCase(Locale.ROOT)).sorted().toList(),
                types.keySet().stream().sorted().toList(), "one data type per outputFormat");
        assertEquals(String.valueOf(properties().get("outputFormat").get("default")).toLowerCase(Locale.ROOT),
                out.get("default"));
        types.forEach((name, type) -> assertFalse(((Map<?, ?>) type).containsKey("format"),
                name + ": a format names a data type transformer that Camel may run on the body; there is none"));
    }

    @Test
    void docListsEveryProperty() throws Exception {
        String doc = Files.readString(DOC);
        String updated = replaceSection(doc, "kamelet-properties", propertiesTable());
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(DOC, updated);
        }
        assertEquals(updated, doc, "docs/kamelet.md is out of step with the Kamelet;"
                                   + " run mvn test -Dtest=KameletDefinitionTest -Ddocs.update=true");
    }

    static String propertiesTable() {
        Map<String, Object> options = json.getMap("properties");
        List<?> required = (List<?>) map(map(kamelet, "spec"), "definition").get("required");
        StringBuilder table = new StringBuilder("| property | type | default | description |\n"
                                                + "| --- | --- | --- | --- |\n");
        properties().forEach((name, property) -> {
            Map<String, Object> option = Objects.requireNonNullElse(map(options, name), Map.of());
            Object enums = property.get("enum");
            String type = enums != null ? "one of " + String.join(", ", (Iterable<String>) castList(enums))
                    : "duration".equals(option.get("type")) ? "duration (ms, or 500ms, 10s, 5m)"
                    : "object".equals(option.get("type")) ? "bean reference (#bean:name)"
                    : String.valueOf(property.get("type"));
            Object kameletDefault = property.get("default");
            Object optionDefault = option.get("defaultValue");
            String defaultValue = kameletDefault != null ? "`" + kameletDefault + "`"
                    : optionDefault != null ? "component's: `" + optionDefault + "`" : "";
            String description = cell(property.get("description"));
            if (required.contains(name)) {
                description = "**Required.** " + description;
            }
            if ("password".equals(property.get("format"))) {
                description += " Secret.";
            }
            table.append("| `").append(name).append("` | ").append(type).append(" | ").append(defaultValue)
                    .append(" | ").append(description).append(" |\n");
        });
        return table.toString();
    }

    @SuppressWarnings("unchecked")
    static List<String> castList(Object list) {
        return (List<String>) list;
    }

    static String cell(Object text) {
        return String.valueOf(text).strip().replace("\n", " ").replace("|", "\\|").replace("<", "&lt;")
                .replace(">", "&gt;");
    }

    static String replaceSection(String document, String name, String content) {
        String start = "<!-- " + name + ":start -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = document.indexOf(start);
        int to = document.indexOf(end);
        if (from < 0 || to < from) {
            fail("docs/kamelet.md lacks the markers " + start.strip() + " ... " + end);
        }
        return document.substring(0, from + start.length()) + content + document.substring(to);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> properties() {
        return (Map<String, Map<String, Object>>) (Map<?, ?>) map(map(map(kamelet, "spec"), "definition"),
                "properties");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, ?> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
