"""A client that hangs up mid-answer is not an error: the emulator prints no traceback."""

from __future__ import annotations

import socket
import struct
import time

from clarinb import connect
from clarinb.emulator import serve


def test_a_client_hanging_up_prints_nothing(capfd) -> None:
    with serve(data="demo") as emu:
        host, port = emu.url.removeprefix("http://").split(":")
        path = f"/v2/users/{emu.user_id}/apps/{emu.app_id}/evaluations/animals-base-on-v2"
        request = (
            f"GET {path}?fields.test_set=true HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Key {emu.pat}\r\n\r\n"
        ).encode()
        for _ in range(5):
            sock = socket.create_connection((host, int(port)))
            sock.sendall(request)
            # Close at once with a reset, while the (large) answer is being written.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        time.sleep(1.0)
        assert connect(emulator=emu).call("V2_GetEvaluation2", evaluationId="animals-base-on-v2")
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "Exception occurred" not in err
