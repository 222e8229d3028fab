package com.activityfeed.feed.catalog;

import com.activityfeed.web.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

@Path("/api/v1/feed/types")
@Produces(MediaType.APPLICATION_JSON)
public class TypeResource {
    private final TypeCatalog catalog;

    public TypeResource(TypeCatalog catalog) {
        this.catalog = catalog;
    }

    public record Grouping(String window, int threshold, String key) {
    }

    public record TypeView(String type, String displayName, String icon, @Schema(nullable = true) String singleTemplate,
                           @Schema(nullable = true) String groupTemplate, Grouping grouping, boolean builtIn) {
    }

    public record TypeList(@Schema(required = true) List<TypeView> items,
                           @Schema(required = true, nullable = true, description = "always null: the catalog is one page")
                           String nextCursor) {
    }

    @GET
    @RolesAllowed({Caller.READER, Caller.ADMIN})
    public TypeList types() {
        return new TypeList(catalog.all().stream().map(t -> new TypeView(t.type(), t.displayName(), t.icon(),
                t.singleTemplate(), t.groupTemplate(), new Grouping(t.grouping().window().toString(),
                t.grouping().threshold(), t.grouping().key().wire()), t.builtIn())).toList(), null);
    }
}
