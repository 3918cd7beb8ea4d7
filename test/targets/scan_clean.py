# A Basic-auth FastAPI app that does everything the scan engine checks for, served over HTTPS by the
# tests (self-signed certificate, scanned with --insecure). Expected: no finding but the certificate.
# - every 401 carries `WWW-Authenticate: Basic realm="api"`; malformed headers are 401 (HTTPBasic)
# - failed logins are counted per username (known or not) and per client: 429 + Retry-After past 5
# - the same PBKDF2 work and the same answer for unknown users and wrong passwords
# - HSTS, nosniff and Cache-Control: no-store on every response; errors never show internals
import hashlib
import secrets
import time
from collections import deque

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic(realm="api")
SALT = secrets.token_bytes(16)
ITERATIONS = 20_000


def hash_password(password: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), SALT, ITERATIONS)


USERS = {"alice": hash_password("correct-horse-battery")}
DUMMY = hash_password(secrets.token_hex(16))
LIMIT, WINDOW, MAX_KEYS = 5, 60.0, 10_000
failures: dict[str, deque] = {}
CHALLENGE = {"WWW-Authenticate": 'Basic realm="api"'}


def throttled(key: str) -> bool:
    now = time.monotonic()
    window = failures.get(key)
    if window is None:
        return False
    while window and now - window[0] > WINDOW:
        window.popleft()
    if not window:
        del failures[key]
        return False
    return len(window) >= LIMIT


def record_failure(key: str) -> None:
    if key not in failures and len(failures) >= MAX_KEYS:
        failures.pop(next(iter(failures)))  # bounded memory: drop the oldest key
    failures.setdefault(key, deque()).append(time.monotonic())


def current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)) -> str:
    keys = [f"user:{credentials.username}", f"ip:{request.client.host if request.client else '?'}"]
    if any(throttled(k) for k in keys):
        raise HTTPException(429, "Too many failed logins", headers={"Retry-After": str(int(WINDOW))})
    stored = USERS.get(credentials.username)
    ok = secrets.compare_digest(hash_password(credentials.password), stored or DUMMY) and stored is not None
    if not ok:
        for k in keys:
            record_failure(k)
        raise HTTPException(401, "Invalid credentials", headers=CHALLENGE)
    return credentials.username


@app.middleware("http")
async def security_headers(request: Request, call_next):
    response = await call_next(request)
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception):
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/api/items")
def items(user: str = Depends(current_user)):
    return {"user": user, "items": [1, 2]}


@app.get("/api/items/{item_id}")
def item(item_id: int, user: str = Depends(current_user)):
    return {"user": user, "id": item_id}


@app.get("/admin/users")
def admin_users(user: str = Depends(current_user)):
    return {"users": sorted(USERS)}
