# FastAPI, Basic auth with one flaw only: the password hash (PBKDF2, ~50 ms) is computed for existing
# users alone, so a failed login for "alice" is slower than one for an unknown user. Answers are
# otherwise identical (same status, body and headers), so only the timing test can see it.
# With TIMING_SAFE=1 the fix is on: unknown users are checked against a dummy hash, same work.
import hashlib
import os
import secrets

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic(realm="api")
SALT = b"fixed-salt-for-the-test"


def hash_password(password: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 100_000)


USERS = {"alice": hash_password("correct-horse-battery")}
DUMMY = hash_password(secrets.token_hex(16))
TIMING_SAFE = os.environ.get("TIMING_SAFE") == "1"


def current_user(credentials: HTTPBasicCredentials = Depends(security)) -> str:
    stored = USERS.get(credentials.username)
    if TIMING_SAFE:
        ok = secrets.compare_digest(hash_password(credentials.password), stored or DUMMY) and stored is not None
    else:
        ok = stored is not None and secrets.compare_digest(hash_password(credentials.password), stored)
    if not ok:
        raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": 'Basic realm="api"'})
    return credentials.username


@app.get("/api/me")
def me(user: str = Depends(current_user)):
    return {"user": user}
