package com.activityfeed.testsupport.infra;

import com.activityfeed.messages.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker in KRaft combined mode, in its own JVM, from the classpath the
 * {@code kafka-broker} module writes. Its jars never touch the services' classpath. Can be stopped
 * and started again on the same ports and log directory.
 */
public final class KafkaBroker {
    private static final Logger LOG = Logger.getLogger(KafkaBroker.class);
    public static final int PARTITIONS = 4;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path classpathFile;
    private Supervised process;

    public KafkaBroker(Path dir, int port, int controllerPort, Path classpathFile) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classpathFile = classpathFile;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path props = dir.resolve("server.properties");
            if (!Files.exists(props)) {
                writeProperties(props);
                format(props);
            }
            List<String> command = java("kafka.Kafka", props.toString());
            process = Supervised.start("kafka", command, Map.of(), dir, dir.resolve("kafka.log"), "TERM",
                    Duration.ofSeconds(30));
            Waits.until("Kafka on port " + port, Duration.ofSeconds(90), this::ready);
            LOG.infof("Kafka is up on %s", bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    /** Creates every topic of the system with {@link #PARTITIONS} partitions (idempotent). */
    public void createTopics(List<String> topics) {
        try (Admin admin = admin()) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String topic : topics) {
                wanted.add(new NewTopic(topic, PARTITIONS, (short) 1));
            }
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot create topics", e);
        }
    }

    public void createSystemTopics() {
        createTopics(Topics.ALL);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    private boolean ready() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Kafka exited: " + tail(Supervised.text(dir.resolve("kafka.log"))));
        }
        if (!Ports.listening(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private void writeProperties(Path props) throws IOException {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=" + PARTITIONS,
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=100000000",
                "log.segment.bytes=67108864",
                "");
        Files.writeString(props, text);
    }

    private void format(Path props) throws IOException {
        List<String> command = java("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", props.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kafka storage format failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> java(String mainClass, String... args) throws IOException {
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException("no broker classpath at " + classpathFile
                    + ": build the kafka-broker module first (./mvnw -pl kafka-broker generate-resources)");
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xms256m", "-Xmx768m", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", Files.readString(classpathFile).trim(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** A random cluster id in Kafka's format: 16 bytes, URL-safe base64 without padding. */
    private static String clusterId() {
        String id;
        do {
            id = encode(UUID.randomUUID());
        } while (id.startsWith("-")); // the storage tool would read it as an option
        return id;
    }

    private static String encode(UUID uuid) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
