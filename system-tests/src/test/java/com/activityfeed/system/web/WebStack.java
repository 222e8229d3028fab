package com.activityfeed.system.web;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.gateway.Gateway;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;

import java.util.Map;

/** The gateway in front of the system under test, started once per JVM like the services. */
final class WebStack {
    private static Gateway gateway;

    private WebStack() {
    }

    static synchronized Gateway gateway() {
        if (gateway == null) {
            SystemUnderTest system = SystemUnderTest.get();
            Gateway started = Gateway.start("127.0.0.1", Ports.free(), Infra.root().resolve("deploy/routes.tsv"),
                    Map.of("ingest-service", system.ingest.port(),
                            "feed-service", system.feed.port(),
                            "social-service", system.social.port()),
                    Infra.root().resolve("system-tests/target/gateway"));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "afp-gateway-shutdown"));
            gateway = started;
        }
        return gateway;
    }
}
