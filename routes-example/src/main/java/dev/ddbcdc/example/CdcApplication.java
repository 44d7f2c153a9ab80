package dev.ddbcdc.example;

import org.apache.camel.main.Main;

/**
 * Runs the YAML routes of {@code routes/orders-changes.camel.yaml} with camel-main, configured by
 * {@code routes/application.properties} (and any {@code -Dname=value} on top): the same routes run against real AWS
 * or the local test kit by changing properties only. Runs until Ctrl-C; see docs/routes.md.
 * <p>
 * The properties sit beside the routes, so that one directory holds all Camel JBang needs.
 */
public final class CdcApplication {

    public static final String ROUTES = "classpath:routes/orders-changes.camel.yaml";
    public static final String PROPERTIES = "classpath:routes/application.properties";

    /** A camel-main for the YAML routes; its properties are read when it starts. */
    public static Main create() {
        Main main = new Main(); // no main class: it would scan this package and add the Java routes too
        main.setPropertyPlaceholderLocations(PROPERTIES);
        main.configure().withRoutesIncludePattern(ROUTES);
        return main;
    }

    public static void main(String[] args) throws Exception {
        System.exit(create().run(args));
    }

    private CdcApplication() {
    }
}
