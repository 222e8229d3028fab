package com.activityfeed.feed.tickets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A one-time stream ticket (table {@code stream_ticket}, migration V30), keyed by the SHA-256 of
 * the ticket: the table never holds a usable credential.
 */
@Entity
@Table(name = "stream_ticket")
public class IssuedTicket extends IssuedCredential {
    @Id
    @Column(name = "ticket_hash")
    public byte[] ticketHash;
}
