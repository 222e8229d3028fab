package com.activityfeed.testsupport.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM-wide {@link Infra}. The infrastructure is
 * not stopped per test class: it lives until the test JVM exits. Init arg {@code database} names the
 * service's database (absent for ingest, which has none).
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        Infra infra = Infra.shared();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.bootstrapServers());
        config.put("afp.jwt.secret", TestTokens.SECRET);
        config.put("afp.jwt.issuer", TestTokens.ISSUER);
        if (database != null) {
            config.put("quarkus.datasource.jdbc.url", infra.jdbcUrl(database));
            config.put("quarkus.datasource.username", PostgresServer.USER);
            config.put("quarkus.datasource.password", "");
        }
        return config;
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM; Infra's shutdown hook stops it.
    }
}
