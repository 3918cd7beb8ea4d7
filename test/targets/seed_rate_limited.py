# From ../shared/seeds/000, remediation 2 ("add rate-limiting to mitigate brute-force"), indentation
# restored, behaviour unchanged. As in the document, it defines the dependency but mounts no route,
# and `failed_attempts` is a module-level defaultdict keyed by client IP: pruned per key, but keys
# are never removed, so it grows with every distinct client.
from fastapi import FastAPI, Depends, HTTPException, status, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from collections import defaultdict
import time

app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "secret123"}
failed_attempts = defaultdict(list)
RATE_LIMIT_WINDOW = 60  # seconds
MAX_ATTEMPTS = 5


def is_rate_limited(client_ip: str) -> bool:
    now = time.time()
    attempts = failed_attempts[client_ip]
    # clean old attempts
    failed_attempts[client_ip] = [t for t in attempts if now - t < RATE_LIMIT_WINDOW]
    return len(failed_attempts[client_ip]) >= MAX_ATTEMPTS


def get_current_user(credentials: HTTPBasicCredentials = Depends(security), request: Request = None):
    client_ip = request.client.host if request and request.client else "unknown"
    if is_rate_limited(client_ip):
        raise HTTPException(status_code=429, detail="Too many requests")
    correct = USERS.get(credentials.username) == credentials.password
    if not correct:
        failed_attempts[client_ip].append(time.time())
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid credentials",
            headers={"WWW-Authenticate": "Basic"},
        )
    # success: optionally clear failed attempts
    failed_attempts[client_ip].clear()
    return credentials.username
