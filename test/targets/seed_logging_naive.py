# From ../shared/seeds/000 (logging and monitoring failures), "insufficient logging" example,
# indentation restored, behaviour unchanged: a failed login logs a bare "Auth failed" line with no
# username, client, path or outcome; a successful login logs nothing.
from fastapi import FastAPI, Depends, HTTPException, status
from fastapi.security import HTTPBasic, HTTPBasicCredentials
import logging

logging.basicConfig(level="INFO")
logger = logging.getLogger(__name__)
app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "secret123"}


def get_current_user(credentials: HTTPBasicCredentials = Depends(security)):
    correct = USERS.get(credentials.username) == credentials.password
    if not correct:
        # Missing: structured log with username, client host, path, and outcome
        logger.warning("Auth failed")
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Invalid credentials",
            headers={"WWW-Authenticate": "Basic"},
        )
    # Missing: success log with username and client context
    return credentials.username


@app.get("/secure")
def read_secure(user: str = Depends(get_current_user)):
    return {"message": f"Hello {user}"}
