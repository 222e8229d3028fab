package com.activityfeed.ingest.webhooks;

import com.activityfeed.web.ProblemException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Salesforce Outbound Messaging: a SOAP {@code notifications} message holding up to 100
 * {@code Notification}s, each with an sObject. Parsed with DTDs and external entities disabled
 * (no XXE, no entity expansion). Accepted only from the organisation id configured for the
 * tenant (15- and 18-character forms compare equal); the {@code Notification/Id} is the key.
 * Titles name the record (Name, else Subject, else first and last name) and where it stands:
 * "Opportunity Globex renewal is now Closed Won in Salesforce".
 */
@ApplicationScoped
public class SalesforceWebhook implements WebhookSource {
    static final String OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound";
    static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    /** The acknowledgement Salesforce expects; without it the message is resent for 24 hours. */
    public static final String ACK = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
              <soapenv:Body>
                <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
                  <Ack>true</Ack>
                </notificationsResponse>
              </soapenv:Body>
            </soapenv:Envelope>
            """;

    private final WebhookSettings config;
    private final ObjectMapper mapper;

    public SalesforceWebhook(WebhookSettings config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public boolean configured(String tenant) {
        return organisation(tenant).isPresent();
    }

    private Optional<String> organisation(String tenant) {
        return config.tenant(tenant).flatMap(WebhookSettings.Tenant::salesforceOrganizationId);
    }

    @Override
    public List<ObjectNode> normalise(WebhookRequest request) {
        Document document = parse(request.body());
        Element notifications = first(document.getDocumentElement(), OUTBOUND_NS, "notifications");
        if (notifications == null) {
            throw ProblemException.badRequest("not a Salesforce outbound message: no notifications element");
        }
        String organisation = childText(notifications, "OrganizationId");
        if (organisation == null || !sameOrganisation(organisation, organisation(request.tenant()).orElseThrow())) {
            throw WebhookProblems.badSignature("the message does not come from the organisation configured for this tenant");
        }
        String actionId = childText(notifications, "ActionId");
        List<ObjectNode> events = new ArrayList<>();
        NodeList list = notifications.getElementsByTagNameNS(OUTBOUND_NS, "Notification");
        for (int i = 0; i < list.getLength(); i++) {
            events.add(normalise((Element) list.item(i), actionId));
        }
        return events;
    }

    private ObjectNode normalise(Element notification, String actionId) {
        String id = childText(notification, "Id");
        Element sObject = firstChild(notification, "sObject");
        if (id == null || sObject == null) {
            throw ProblemException.badRequest("each Notification needs an Id and an sObject");
        }
        String xsiType = sObject.getAttributeNS(XSI_NS, "type");
        String objectType = xsiType.contains(":") ? xsiType.substring(xsiType.indexOf(':') + 1) : xsiType;
        if (objectType.isBlank()) {
            objectType = "object";
        }
        ObjectNode fields = mapper.createObjectNode();
        for (Node child = sObject.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element field && !"true".equals(field.getAttributeNS(XSI_NS, "nil"))) {
                fields.put(field.getLocalName(), field.getTextContent());
            }
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("type", Texts.type("salesforce", objectType));
        out.put("source", "salesforce");
        out.put("idempotencyKey", id);
        String recordId = Texts.text(fields.get("Id"));
        String name = name(fields);
        String label = objectType.replaceAll("__c$", "").replace('_', ' ');
        if (recordId != null) {
            ObjectNode entity = out.putObject("entity");
            Texts.put(entity, "type", objectType.toLowerCase(Locale.ROOT), 64);
            Texts.put(entity, "id", recordId, 128);
            Texts.put(entity, "name", name, 200);
        }
        String modifiedBy = Texts.text(fields.get("LastModifiedById"));
        if (modifiedBy != null) {
            ObjectNode actor = out.putObject("actor");
            Texts.put(actor, "id", modifiedBy, 128);
        }
        String outcome = STATUS_FIELDS.stream().map(f -> Texts.text(fields.get(f))).filter(Objects::nonNull)
                .filter(t -> !t.isBlank()).findFirst().orElse(null);
        String thing = label + " " + (name != null ? name : Objects.requireNonNullElse(recordId, "record"));
        Texts.put(out, "title", outcome != null ? thing + " is now " + outcome + " in Salesforce" : thing + " updated in Salesforce", 200);
        Texts.put(out, "description", Texts.text(fields.get("Description")), 2000);
        ObjectNode payload = out.putObject("payload");
        if (actionId != null) {
            payload.put("actionId", actionId);
        }
        payload.set("fields", fields);
        return out;
    }

    /** Fields that say where a record stands, in order of preference (opportunity, case, lead…). */
    private static final List<String> STATUS_FIELDS = List.of("StageName", "Status", "Rating");

    /** The record's name: Name, else the subject of a case or task, else first and last name. */
    static String name(ObjectNode fields) {
        for (String field : List.of("Name", "Subject", "Title")) {
            String value = Texts.text(fields.get(field));
            if (value != null && !value.isBlank()) {
                return field.equals("Subject") && fields.hasNonNull("CaseNumber")
                        ? value.strip() + " (case " + Texts.text(fields.get("CaseNumber")) + ")" : value.strip();
            }
        }
        String full = (Objects.toString(Texts.text(fields.get("FirstName")), "") + " "
                + Objects.toString(Texts.text(fields.get("LastName")), "")).strip();
        if (!full.isEmpty()) {
            return full;
        }
        String caseNumber = Texts.text(fields.get("CaseNumber"));
        return caseNumber == null ? null : "case " + caseNumber;
    }

    static boolean sameOrganisation(String a, String b) {
        // 18-character ids add a case-safe suffix to the 15-character id.
        return a.length() >= 15 && b.length() >= 15 && a.substring(0, 15).equals(b.substring(0, 15));
    }

    private static Document parse(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // quiet: faults become a 400
            return builder.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (SAXException | IOException e) {
            throw ProblemException.badRequest("the body is not well-formed XML without DTD");
        }
    }

    private static Element first(Element root, String namespace, String name) {
        if (namespace.equals(root.getNamespaceURI()) && name.equals(root.getLocalName())) {
            return root;
        }
        NodeList list = root.getElementsByTagNameNS(namespace, name);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static Element firstChild(Element parent, String localName) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String localName) {
        Element child = firstChild(parent, localName);
        if (child == null || "true".equals(child.getAttributeNS(XSI_NS, "nil"))) {
            return null;
        }
        String text = child.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }
}
