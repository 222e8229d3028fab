package com.activityfeed.feed.catalog;

import com.activityfeed.feed.grouping.GroupingKey;
import com.activityfeed.feed.grouping.GroupingSettings;
import com.activityfeed.feed.tiles.TileBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class CatalogProducer {
    @Produces
    @ApplicationScoped
    TypeCatalog catalog(CatalogConfig config) {
        return TypeCatalog.builtIn(new GroupingSettings(config.window(), config.threshold(),
                GroupingKey.fromWire(config.key())));
    }

    @Produces
    @ApplicationScoped
    TileBuilder tileBuilder(TypeCatalog catalog) {
        return new TileBuilder(catalog);
    }
}
