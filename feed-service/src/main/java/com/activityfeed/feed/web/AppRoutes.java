package com.activityfeed.feed.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web client lives in {@code META-INF/resources/app/}: {@code /app/} serves its index page,
 * and {@code /app} redirects there so that the page's relative module paths resolve under /app/.
 *
 * <p>Its files are served here rather than by the default static handler, so that a deploy is seen
 * at once: every answer carries a strong ETag (a hash of the content) and {@code Cache-Control:
 * no-cache}, so the browser revalidates (a 304 without a body when nothing changed) instead of
 * running yesterday's scripts against today's page. Text files are gzipped once, in memory.
 *
 * <p>The page itself carries the first screen's modules joined into one script and the stylesheet,
 * both inline ({@link ClientBundle}, made from the files on first use), so a browser needs nothing
 * but the page and the feed's first page to draw the first tiles. Modules loaded later (chat, stats)
 * are served with their imports pointed at the page's instances. Every file is still served as it
 * is under its own name.
 */
@ApplicationScoped
public class AppRoutes {
    private static final Logger LOG = Logger.getLogger(AppRoutes.class);
    private static final String ROOT = "META-INF/resources";
    private static final Pattern SAFE = Pattern.compile("^/app/[A-Za-z0-9_./-]*$");
    private static final String JS = "/app/js/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    /** One file of the client, read once: its bytes, gzipped bytes (when worth it), ETag and caching. */
    record Asset(String contentType, Buffer plain, Buffer gzipped, String etag, String cacheControl) {
    }

    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();
    private volatile Optional<Joined> bundle;

    void install(@Observes Router router) {
        router.get("/app").order(Integer.MIN_VALUE).handler(ctx -> {
            if (!"/app".equals(ctx.request().path())) {
                ctx.next();
                return;
            }
            String query = ctx.request().query();
            ctx.response()
                    .setStatusCode(301)
                    .putHeader("Location", query == null ? "/app/" : "/app/?" + query)
                    .end();
        });
        router.route("/app/*").order(Integer.MIN_VALUE + 1).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        if (!(method == HttpMethod.GET || method == HttpMethod.HEAD) || !SAFE.matcher(path).matches() || path.contains("..")) {
            ctx.next();
            return;
        }
        String file = path.endsWith("/") ? path + "index.html" : path;
        Optional<Asset> asset = assets.computeIfAbsent(file, this::asset);
        if (asset.isEmpty()) {
            ctx.next();
            return;
        }
        Asset a = asset.get();
        var response = ctx.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, a.cacheControl())
                .putHeader(HttpHeaders.ETAG, a.etag())
                .putHeader(HttpHeaders.VARY, "Accept-Encoding")
                .putHeader("X-Content-Type-Options", "nosniff");
        String match = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (match != null && (match.equals(a.etag()) || match.equals("W/" + a.etag()) || match.contains(a.etag()))) {
            response.setStatusCode(304).end();
            return;
        }
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = a.gzipped() != null && accept != null && accept.contains("gzip");
        Buffer body = gzip ? a.gzipped() : a.plain();
        response.putHeader(HttpHeaders.CONTENT_TYPE, a.contentType());
        if (gzip) {
            response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        if (method == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(body);
        }
    }

    /** The file at {@code path} as served: the page with the joined script and the stylesheet inline, later modules linked to them. */
    private Optional<Asset> asset(String path) {
        Optional<Joined> joined = bundle();
        if (joined.isPresent()) {
            Joined b = joined.get();
            if (path.equals("/app/index.html")) {
                return Optional.of(asset(path, b.page().getBytes(StandardCharsets.UTF_8), "no-cache"));
            }
            if (path.startsWith(JS) && path.endsWith(".js") && path.indexOf('/', JS.length()) < 0 && !b.bundle().modules().contains(path.substring(JS.length()))) {
                return text(path).map(js -> asset(path, b.bundle().linkLazy(js).getBytes(StandardCharsets.UTF_8), "no-cache"));
            }
        }
        return load(path);
    }

    /** The joined script and the page that carries it. */
    private record Joined(ClientBundle bundle, String page) {
    }

    /**
     * The joined script and its page, made once; when the modules cannot be joined or the page cannot
     * carry them inline, every file is served as in the sources (the page names the modules one by one).
     */
    private Optional<Joined> bundle() {
        Optional<Joined> made = bundle;
        if (made == null) {
            synchronized (this) {
                made = bundle;
                if (made == null) {
                    try {
                        ClientBundle joined = ClientBundle.make(file -> text(JS + file).orElse(null));
                        String page = joined.linkPage(text("/app/index.html").orElseThrow(() -> new IllegalStateException("no index.html")),
                                text("/app/app.css").orElseThrow(() -> new IllegalStateException("no app.css")));
                        made = Optional.of(new Joined(joined, page));
                        LOG.infof("web client: the page carries %s joined and app.css, inline", joined.modules());
                    } catch (IllegalStateException e) {
                        LOG.errorf("web client: the page cannot carry the first screen's modules and stylesheet inline, it names the files one by one: %s", e.getMessage());
                        made = Optional.empty();
                    }
                    bundle = made;
                }
            }
        }
        return made;
    }

    /** A file of the client as it is, revalidated on every use. */
    static Optional<Asset> load(String path) {
        return read(path).map(bytes -> asset(path, bytes, "no-cache"));
    }

    private static Optional<String> text(String path) {
        return read(path).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> read(String path) {
        String name = ROOT + path;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static Asset asset(String path, byte[] bytes, String cacheControl) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        Buffer gzipped = null;
        if (type.startsWith("text/") || type.startsWith("image/svg") || type.startsWith("application/json")) {
            try {
                byte[] packed = gzip(bytes);
                if (packed.length < bytes.length) {
                    gzipped = Buffer.buffer(packed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot gzip " + path, e);
            }
        }
        return new Asset(type, Buffer.buffer(bytes), gzipped, etag(bytes), cacheControl);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }
}
