# probe target: seed 000's remediation 1 (structured auth logging) with only its dependency bug
# fixed (`request: Request` is injected instead of the broken `lambda r:`), so the auth code runs.
# Its logging stays as the document wrote it: `format="%(asctime)s %(levelname)s %(message)s"`
# prints no extras, so the lines say "auth_failure" but name no user. With PROBE_LOG_EXTRAS=1 the
# format prints the user, client and path extras (still no method or correlation id).
import logging
import os
import uuid

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.middleware.base import BaseHTTPMiddleware

FORMAT = "%(asctime)s %(levelname)s %(message)s"
if os.environ.get("PROBE_LOG_EXTRAS") == "1":
    # Defaults, so records without the extras (uvicorn's own) still format.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT + " username=%(username)s client_ip=%(client_ip)s path=%(path)s",
                                           defaults={"username": "-", "client_ip": "-", "path": "-"}))
    logging.basicConfig(level="INFO", handlers=[handler])
else:
    logging.basicConfig(level="INFO", format=FORMAT)
logger = logging.getLogger(__name__)
app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "secret123"}


class CorrelationMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        request.state.correlation_id = str(uuid.uuid4())
        return await call_next(request)


app.add_middleware(CorrelationMiddleware)


def get_current_user(request: Request, credentials: HTTPBasicCredentials = Depends(security)):
    username = credentials.username
    context = {
        "username": username,
        "client_ip": request.client.host if request.client else "unknown",
        "method": request.method,
        "path": request.url.path,
        "correlation_id": getattr(request.state, "correlation_id", "unknown"),
    }
    if USERS.get(username) != credentials.password:
        logger.warning("auth_failure", extra={"event": "auth_failure", **context})
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid credentials",
            headers={"WWW-Authenticate": "Basic"},
        )
    logger.info("auth_success", extra={"event": "auth_success", **context})
    return username


@app.get("/secure")
def read_secure(user: str = Depends(get_current_user)):
    return {"message": f"Hello {user}"}
