"""The preview's web server: serves a folder, watches the author's files, and after each rebuild
tells every open page to reload (the script sphinx-autobuild's middleware adds to each page).

One process, one event loop: a change is handed to `rebuild` in a worker thread (the next batch
of changes waits for it), and `rebuild` calls `reload` once the pages are in place.
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import FrameType

import uvicorn
import watchfiles
from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

RELOAD_PATH = "/websocket-reload"   # the middleware's script connects here
IGNORED = frozenset({"_build", ".git", "__pycache__", "node_modules"})
QUIET_MS = 50   # a save is taken as finished after this long without another change

Rebuild = Callable[[Sequence[Path], Callable[[], None]], None]


class PreviewServer:
    def __init__(self, served: Path, watched: Sequence[Path], rebuild: Rebuild, stopping: Callable[[], None],
                 host: str, port: int) -> None:
        """`stopping` is called when a signal (Ctrl+C, SIGTERM) asks the server to stop."""
        self.served, self.watched, self.rebuild = served.resolve(), [p.resolve() for p in watched], rebuild
        self.stopping = stopping
        self.host, self.port = host, port
        self.version = 0
        self.changed: asyncio.Condition | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def reload(self) -> None:
        """Ask every open page to reload (callable from the rebuild thread)."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._bump()))

    async def _bump(self) -> None:
        assert self.changed is not None
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    async def _socket(self, socket: WebSocket) -> None:
        """Send "refresh" after each rebuild until the page goes away (or the server stops)."""
        await socket.accept()
        tasks = [asyncio.ensure_future(self._refreshes(socket)), asyncio.ensure_future(self._until_closed(socket))]
        _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()

    async def _refreshes(self, socket: WebSocket) -> None:
        assert self.changed is not None
        seen = self.version
        while True:
            async with self.changed:
                await self.changed.wait_for(lambda seen=seen: self.version != seen)
                seen = self.version
            await socket.send_text("refresh")

    @staticmethod
    async def _until_closed(socket: WebSocket) -> None:
        try:
            async for _ in socket.iter_text():
                pass
        except WebSocketDisconnect:
            return

    async def _file(self, request: Request) -> Response:
        """A served file, read whole in one go: a file swapped in between a look at its size and
        its reading (as a static file server does) went out cut short or too long."""
        path = (self.served / request.path_params["path"]).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(self.served):
            return Response("Not found", status_code=404, media_type="text/plain")
        try:
            body = await asyncio.to_thread(path.read_bytes)
        except OSError:
            missing = self.served / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return Response(body, status_code=404, media_type="text/html" if missing.is_file() else "text/plain")
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(body, media_type=media, headers={"Cache-Control": "no-store"})

    async def _watch(self, stop: asyncio.Event) -> None:
        async for changes in watchfiles.awatch(*self.watched, stop_event=stop, step=QUIET_MS,
                                               watch_filter=lambda _, path: not IGNORED & set(Path(path).parts)):
            await asyncio.to_thread(self.rebuild, sorted(Path(path) for _, path in changes), self.reload)

    @asynccontextmanager
    async def _lifespan(self, _: Starlette) -> AsyncIterator[None]:
        self.loop, self.changed = asyncio.get_running_loop(), asyncio.Condition()
        stop = asyncio.Event()
        watching = asyncio.create_task(self._watch(stop))
        yield
        stop.set()
        await watching

    def run(self) -> None:
        """Serve until stopped (Ctrl+C or SIGTERM)."""
        app = Starlette(routes=[WebSocketRoute(RELOAD_PATH, self._socket),
                                Route("/{path:path}", self._file)],
                        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=f"{self.host}:{self.port}")],
                        lifespan=self._lifespan)
        _Server(uvicorn.Config(app, host=self.host, port=self.port, log_level="warning"), self.stopping).run()


class _Server(uvicorn.Server):
    """uvicorn's server, telling the preview as soon as a signal asks it to stop: its graceful
    shutdown waits for the rebuild under way, which must not then start another Sphinx."""

    def __init__(self, config: uvicorn.Config, stopping: Callable[[], None]) -> None:
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stopping()
        super().handle_exit(sig, frame)
