"""Every write to registrations goes through these modules, one per business process
(as in pretix): booking, capacity (the lock and the seats), the waiting list,
staff actions, retention and GDPR, and the e-mail outbox. Their errors are in
`events.registrations.errors`, signed links in `events.registrations.tokens`,
and read queries in `events.registrations.selectors`."""
