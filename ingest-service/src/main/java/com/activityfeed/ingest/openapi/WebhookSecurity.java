package com.activityfeed.ingest.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * The webhook operation's security, source by source (SPEC §3): GitHub, HubSpot and generic JSON
 * sign the body (a header the service checks with the tenant's secret), CloudEvents carry a bearer
 * token, Salesforce is recognised by its organisation id inside the SOAP body (hence the empty
 * alternative). Each signature is declared as an API-key header scheme.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BOTH)
public class WebhookSecurity implements OASFilter {
    static final String PATH = "/api/v1/webhooks/{source}/{tenant}";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addSecurityScheme("githubSignature", header("X-Hub-Signature-256",
                        "GitHub: sha256=<hex HMAC-SHA256 of the body with the tenant's webhook secret>"))
                .addSecurityScheme("hubspotSignature", header("X-HubSpot-Signature-v3",
                        "HubSpot v3: base64 HMAC-SHA256 of method, URI, body and X-HubSpot-Request-Timestamp with the app secret"))
                .addSecurityScheme("genericSignature", header("X-Signature-256",
                        "generic JSON: sha256=<hex HMAC-SHA256 of the body with the tenant's secret>"));
        PathItem item = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem(PATH);
        if (item == null || item.getPOST() == null) {
            return;
        }
        item.getPOST().setSecurity(List.of(
                OASFactory.createSecurityRequirement().addScheme("githubSignature"),
                OASFactory.createSecurityRequirement().addScheme("hubspotSignature"),
                OASFactory.createSecurityRequirement().addScheme("genericSignature"),
                OASFactory.createSecurityRequirement().addScheme("bearer"),
                // salesforce: the organisation id in the SOAP notification, checked against configuration
                OASFactory.createSecurityRequirement()));
    }

    private static SecurityScheme header(String name, String description) {
        return OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                .name(name).description(description);
    }
}
