# From ../shared/seeds/000, remediation 1 ("structured logging for auth successes and failures"),
# indentation restored, behaviour unchanged, bugs included: the route's dependency is
# `lambda r: get_current_user(request=r)`, so FastAPI treats `r` as a required query parameter
# (422 without it) and then calls get_current_user with a string for `request` and the unresolved
# Depends(security) marker for `credentials` (500). The structured log calls themselves are right.
from fastapi import FastAPI, Depends, HTTPException, status, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.middleware.base import BaseHTTPMiddleware
import logging
import time
import uuid

logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(message)s")
logger = logging.getLogger(__name__)
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


@app.get("/secure")
def read_secure(user: str = Depends(lambda r: get_current_user(request=r))):
    return {"message": f"Hello {user}"}
