# seed 000's remediation 1 (structured auth logging) with only its dependency bug fixed: the route's
# dependency injects the request and calls the seed's get_current_user (unchanged) with it, instead of
# the broken `lambda r:`, so the auth code runs. Used by probe and watch; the log format is chosen by env:
# - default: the document's `format="%(asctime)s %(levelname)s %(message)s"`, which prints no extras,
#   so the lines say "auth_failure" but name no user (probe: not logged);
# - PROBE_LOG_EXTRAS=1: that format plus the username, client and path extras (still no method or
#   correlation id: probe lists them as missing);
# - WATCH_LOG=FILE: JSON lines with every extra, written to FILE (what `watch` reads).
from datetime import datetime, timezone
import json
import logging
import os
import uuid

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.middleware.base import BaseHTTPMiddleware


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


FORMAT = "%(asctime)s %(levelname)s %(message)s"
logger = logging.getLogger(__name__)
if os.environ.get("WATCH_LOG"):
    handler = logging.FileHandler(os.environ["WATCH_LOG"])
    handler.setFormatter(JsonFormatter())
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
elif os.environ.get("PROBE_LOG_EXTRAS") == "1":
    # Defaults, so records without the extras (uvicorn's own) still format.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT + " username=%(username)s client_ip=%(client_ip)s path=%(path)s",
                                           defaults={"username": "-", "client_ip": "-", "path": "-"}))
    logging.basicConfig(level="INFO", handlers=[handler])
else:
    logging.basicConfig(level="INFO", format=FORMAT)
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
