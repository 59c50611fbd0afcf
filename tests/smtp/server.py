"""A real SMTP server for Tagungsbüro's tests (aiosmtpd), started and stopped by the tests.

Usage: server.py --maildir DIR [--mode accept|refuse|tempfail|drop] [--auth USER:PASSWORD]

Prints "PORT <n>" on stdout once it accepts connections, then serves until stdin closes (the
test process ended) or it is killed. Modes:
  accept    stores every message as DIR/<n>.eml with the envelope recipients in DIR/<n>.rcpt
  refuse    answers DATA with 554 (permanent refusal), stores nothing
  tempfail  answers DATA with 451 (try again later), stores nothing
  drop      closes the connection on DATA without an answer, stores nothing
"""

import argparse
import itertools
import logging
import warnings
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, maildir, mode):
        self.maildir = maildir
        self.mode = mode
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuse":
            return "554 5.7.1 Nachricht abgelehnt (Test)"
        if self.mode == "tempfail":
            return "451 4.3.0 Bitte spaeter erneut versuchen (Test)"
        if self.mode == "drop":
            # The answer below goes nowhere: the connection is already closed.
            server.transport.close()
            return "250 2.0.0 OK"
        with self.lock:
            n = next(self.counter)
        base = os.path.join(self.maildir, f"{n:05d}")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.content)
        with open(base + ".rcpt", "w", encoding="utf-8") as f:
            f.write("\n".join(envelope.rcpt_tos))
        os.replace(base + ".tmp", base + ".eml")
        return "250 2.0.0 OK"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--mode", default="accept",
                        choices=["accept", "refuse", "tempfail", "drop"])
    parser.add_argument("--auth", default="")
    args = parser.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        kwargs = dict(authenticator=authenticator, auth_required=True,
                      auth_require_tls=False)
    # The test server accepts a login without TLS on purpose (loopback only).
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    port = free_port()
    controller = Controller(Handler(args.maildir, args.mode), hostname="127.0.0.1",
                            port=port, **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
