package com.activityfeed.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/images/release-overlay.sh refuses what would make an unpullable or unpinned release. */
class ReleaseOverlayTest {

    @TempDir
    Path dir;

    @Test
    void writesAnOverlayThatPinsEveryImage() throws IOException {
        Manifests.Result r = run(valid());
        assertThat(r.exit()).as(r.err()).isZero();
        String k = Files.readString(dir.resolve("out/kustomization.yaml"));
        Manifests.testDigests().forEach((service, digest) -> assertThat(k)
                .contains("newName: " + Manifests.TEST_REGISTRY + "/activity-feed/" + service)
                .contains("digest: " + digest));
        // Nothing of the committed overlays changes: the output names overlays/prod as its base.
        assertThat(k).contains("resources:").containsPattern("- .*deploy/k8s/overlays/prod");
    }

    @Test
    void refusesAMissingOrMalformedDigest() throws IOException {
        Files.writeString(dir.resolve("digests.txt"), "ingest-service sha256:abc\n");
        Manifests.Result r = run(valid());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no sha256 digest for ingest-service");
    }

    @Test
    void refusesARegistryThatIsNoHostAndAMissingHostOrBucket() throws IOException {
        Map<String, String> env = valid();
        env.put("REGISTRY", "activity-feed");
        assertThat(run(env).err()).contains("is not a registry host");
        env = valid();
        env.remove("PUBLIC_HOST");
        assertThat(run(env).err()).contains("PUBLIC_HOST is required");
        env = valid();
        env.put("BACKUP_DESTINATION", "activity-feed-backups");
        assertThat(run(env).err()).contains("is not an s3://");
    }

    private Map<String, String> valid() throws IOException {
        Path digests = dir.resolve("digests.txt");
        if (!Files.exists(digests)) {
            StringBuilder s = new StringBuilder();
            Manifests.testDigests().forEach((service, digest) -> s.append(service).append(' ').append(digest).append('\n'));
            Files.writeString(digests, s);
        }
        return new HashMap<>(Map.of("REGISTRY", Manifests.TEST_REGISTRY, "PUBLIC_HOST", Manifests.TEST_HOST,
                "BACKUP_DESTINATION", Manifests.TEST_BACKUPS, "DIGESTS", digests.toString(), "OUT", dir.resolve("out").toString()));
    }

    private Manifests.Result run(Map<String, String> env) {
        Map<String, String> clean = new HashMap<>(env);
        for (String unset : new String[]{"REGISTRY", "PUBLIC_HOST", "BACKUP_DESTINATION", "DIGESTS", "OUT"}) {
            clean.putIfAbsent(unset, "");
        }
        return Manifests.run(clean, "bash", Manifests.root().resolve("deploy/images/release-overlay.sh").toString());
    }
}
