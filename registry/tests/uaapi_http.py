"""The fake mailbox (uaapi_fake.FakeMailbox) served over HTTP on a free local port, for code running in another
process (a real Celery worker). Requests are handed to the same contract-checking handler."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from registry.tests.uaapi_fake import BASE_URL, TOKEN_URL, FakeMailbox


class FakeServer:
    def __init__(self, mailbox: FakeMailbox):
        self.mailbox = mailbox
        self.lock = threading.Lock()  # the fake is not thread-safe; the service would serialise per message anyway
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/api/v1"
        self.token_url = f"http://127.0.0.1:{self.port}/oauth2/token"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.startswith("/oauth2/token"):
                    url = TOKEN_URL
                else:
                    url = BASE_URL.rsplit("/api/v1", 1)[0] + self.path
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                request = httpx.Request(self.command, url, headers=headers, content=body)
                try:
                    with server.lock:
                        response = server.mailbox.handle(request)
                except httpx.TimeoutException:
                    self.close_connection = True  # the work was done; the answer never comes
                    return
                data = response.content
                self.send_response(response.status_code)
                self.send_header("Content-Type", response.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _serve

        return Handler
