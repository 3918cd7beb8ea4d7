# The rate-limiting remediation of ../shared/seeds/000 (see seed_rate_limited.py, which mounts no
# route) with the one thing it lacks for a black-box test: a protected route using the dependency.
# The limiter itself is the document's: 5 failures per client IP in 60 s, then 429.
from collections import defaultdict
import time

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic(realm="api")
USERS = {"alice": "secret123"}
failed_attempts = defaultdict(list)
RATE_LIMIT_WINDOW = 60  # seconds
MAX_ATTEMPTS = 5


def is_rate_limited(client_ip: str) -> bool:
    now = time.time()
    attempts = failed_attempts[client_ip]
    failed_attempts[client_ip] = [t for t in attempts if now - t < RATE_LIMIT_WINDOW]
    return len(failed_attempts[client_ip]) >= MAX_ATTEMPTS


def get_current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)):
    client_ip = request.client.host if request.client else "unknown"
    if is_rate_limited(client_ip):
        raise HTTPException(status_code=429, detail="Too many requests")
    correct = USERS.get(credentials.username) == credentials.password
    if not correct:
        failed_attempts[client_ip].append(time.time())
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid credentials",
            headers={"WWW-Authenticate": 'Basic realm="api"'},
        )
    failed_attempts[client_ip].clear()
    return credentials.username


@app.get("/secure")
def read_secure(user: str = Depends(get_current_user)):
    return {"message": f"Hello {user}"}
