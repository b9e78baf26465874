"""Sending an issue to its partners: the partner list, the messages, the send log, SMTP."""
