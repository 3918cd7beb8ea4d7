# The structured auth logging of ../shared/seeds/000 (remediation 1), run for real so `watch` reads what
# such an app writes. Two changes, both needed for the log to exist at all: a JSON formatter, because the
# seed's format string ("%(asctime)s %(levelname)s %(message)s") drops the extras; and a route dependency
# that passes the request, because the seed's `lambda r: ...` makes every call fail before it logs.
# get_current_user is the seed's, unchanged. The log goes to the file named by WATCH_LOG.
from datetime import datetime, timezone
from fastapi import FastAPI, Depends, HTTPException, status, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.middleware.base import BaseHTTPMiddleware
import json
import logging
import os
import uuid


class JsonFormatter(logging.Formatter):
    FIELDS = ("event", "username", "client_ip", "method", "path", "correlation_id")

    def format(self, record):
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)})
        return json.dumps(entry)


handler = logging.FileHandler(os.environ["WATCH_LOG"])
handler.setFormatter(JsonFormatter())
logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)
logger.addHandler(handler)
app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "secret123"}


class CorrelationMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = str(uuid.uuid4())
        response = await call_next(request)
        return response


app.add_middleware(CorrelationMiddleware)


def get_current_user(credentials: HTTPBasicCredentials = Depends(security), request: Request = None):
    username = credentials.username
    client_host = request.client.host if request and request.client else "unknown"
    req_id = getattr(request.state, "correlation_id", "unknown") if request else "unknown"
    correct = USERS.get(username) == credentials.password
    if not correct:
        logger.warning(
            "auth_failure",
            extra={
                "event": "auth_failure",
                "username": username,
                "client_ip": client_host,
                "method": request.method if request else "unknown",
                "path": request.url.path if request else "unknown",
                "correlation_id": req_id,
            },
        )
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid credentials",
            headers={"WWW-Authenticate": "Basic"},
        )
    logger.info(
        "auth_success",
        extra={
            "event": "auth_success",
            "username": username,
            "client_ip": client_host,
            "method": request.method if request else "unknown",
            "path": request.url.path if request else "unknown",
            "correlation_id": req_id,
        },
    )
    return username


def current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)):
    return get_current_user(credentials, request)


@app.get("/secure")
def read_secure(user: str = Depends(current_user)):
    return {"message": f"Hello {user}"}
