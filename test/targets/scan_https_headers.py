# A FastAPI app served over HTTPS by the tests (self-signed, scanned with --insecure) whose
# authentication is sound (the clean app's limiter and uniform answers) but whose headers are not:
# - no Strict-Transport-Security at all, so a first plain-http visit can be downgraded
# - authenticated answers without Cache-Control: no-store (FastAPI sends none by default)
# - nosniff is set, so that rule must stay quiet
# Expected: tls.invalid-certificate, headers.missing-hsts and headers.missing-no-store, nothing else.
import secrets
import time
from collections import deque

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic(realm="api")
USERS = {"alice": "correct-horse-battery"}
LIMIT, WINDOW = 5, 60.0
failures: dict[str, deque] = {}
CHALLENGE = {"WWW-Authenticate": 'Basic realm="api"'}


def throttled(key: str) -> bool:
    window = failures.get(key)
    now = time.monotonic()
    while window and now - window[0] > WINDOW:
        window.popleft()
    return bool(window) and len(window) >= LIMIT


def current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)) -> str:
    keys = [f"user:{credentials.username}", f"ip:{request.client.host if request.client else '?'}"]
    if any(throttled(k) for k in keys):
        raise HTTPException(429, "Too many failed logins", headers={"Retry-After": str(int(WINDOW))})
    expected = USERS.get(credentials.username, "")
    ok = secrets.compare_digest(credentials.password.encode(), expected.encode()) and credentials.username in USERS
    if not ok:
        for k in keys:
            failures.setdefault(k, deque(maxlen=LIMIT)).append(time.monotonic())
        raise HTTPException(401, "Invalid credentials", headers=CHALLENGE)
    return credentials.username


@app.middleware("http")
async def nosniff(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/api/account")
def account(user: str = Depends(current_user)):
    return {"user": user, "plan": "pro"}
