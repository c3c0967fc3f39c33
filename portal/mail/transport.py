"""Getting one message out: SMTP when a server is configured, the log otherwise."""
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger("portal.mail")

#: Errors about the server or our settings rather than this message: always retried.
SERVER_ERRORS = (smtplib.SMTPAuthenticationError, smtplib.SMTPConnectError, smtplib.SMTPHeloError)
CALENDAR_FILE = "event.ics"


def build_message(message, sender):
    """The RFC 5322 message of an outbox row."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    if message.calendar:
        # As bytes, so that its CRLF line ends (RFC 5545) are sent as they are; METHOD:PUBLISH in
        # the file and the type: an entry to add, not an invitation to answer.
        email.add_attachment(message.calendar.encode("utf-8"), maintype="text", subtype="calendar",
                             filename=CALENDAR_FILE, params={"charset": "utf-8", "method": "PUBLISH"})
    return email


def is_permanent(error):
    """A 5xx answer about this message; everything else (4xx, network) is worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and min(codes) >= 500
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(error, SERVER_ERRORS):
        return 500 <= error.smtp_code < 600
    return False


class LogTransport:
    """No MAIL_SERVER: the message goes to the `portal.mail` log, body included, attachments named.

    That is the documented local behaviour: a password-reset link must be readable there.
    """

    def send(self, email):
        log.info("mail to %s: %s\n%s%s", email["To"], email["Subject"], _text_of(email), _attachments_of(email))

    def close(self):
        pass


class SmtpTransport:
    """One SMTP connection, opened on first use and reused for a batch."""

    def __init__(self, config):
        self.config = config
        self.connection = None

    def _connect(self):
        config = self.config
        connection = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                                  timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            _quit(connection)
            raise
        return connection

    def send(self, email):
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            _quit(self.connection)
            self.connection = None


def transport_for(config):
    return SmtpTransport(config) if config.get("MAIL_SERVER") else LogTransport()


def _quit(connection):
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _attachments_of(email):
    """"[attached: event.ics (text/calendar)]" lines: what comes with the text, not its content."""
    return "".join(f"\n[attached: {part.get_filename()} ({part.get_content_type()})]"
                   for part in email.iter_attachments())


def _text_of(email):
    part = email.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
