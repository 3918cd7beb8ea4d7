# probe target: an app that does authentication logging right, and nothing else wrong.
# JSON auth events with user, client, method, path, outcome and request id; no secrets; the
# framework's own Basic parser (malformed headers become 401); a bounded per-client limiter
# that answers 429 after repeated failures; nothing kept per credential.
import hmac
import json
import logging
import sys
import time
import uuid
from collections import OrderedDict

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(logging.Formatter("%(message)s"))
logger = logging.getLogger("auth")
logger.addHandler(handler)
logger.setLevel(logging.INFO)
logger.propagate = False

app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "correct-horse-battery"}
WINDOW, MAX_FAILURES, MAX_CLIENTS = 60.0, 10, 1000
failures: "OrderedDict[str, list[float]]" = OrderedDict()


def too_many(ip: str) -> bool:
    now = time.monotonic()
    recent = [t for t in failures.get(ip, []) if now - t < WINDOW]
    if recent:
        failures[ip] = recent
    else:
        failures.pop(ip, None)
    return len(recent) >= MAX_FAILURES


def record_failure(ip: str) -> None:
    failures.setdefault(ip, []).append(time.monotonic())
    failures.move_to_end(ip)
    while len(failures) > MAX_CLIENTS:
        failures.popitem(last=False)


def event(name: str, request: Request, username: str, status: int) -> None:
    logger.info(json.dumps({
        "event": name, "outcome": "success" if status == 200 else "failure", "status": status,
        "username": username, "client_ip": request.client.host if request.client else None,
        "method": request.method, "path": request.url.path,
        "request_id": request.headers.get("x-request-id") or str(uuid.uuid4()),
    }))


def current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)) -> str:
    ip = request.client.host if request.client else "unknown"
    if too_many(ip):
        event("auth_throttled", request, credentials.username, 429)
        raise HTTPException(status_code=429, detail="Too many attempts", headers={"Retry-After": "60"})
    expected = USERS.get(credentials.username, "")
    if not (credentials.username in USERS and hmac.compare_digest(expected, credentials.password)):
        record_failure(ip)
        event("auth_failure", request, credentials.username, 401)
        raise HTTPException(status_code=401, detail="Invalid credentials", headers={"WWW-Authenticate": "Basic"})
    event("auth_success", request, credentials.username, 200)
    return credentials.username


@app.get("/secure")
def secure(user: str = Depends(current_user)):
    return {"user": user}
