# probe target: an app that writes the password to its log on every login (the mistake
# probe.secret-in-logs exists for), with a Python-logging default-format line.
import logging

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

logging.basicConfig(level="INFO")
logger = logging.getLogger("auth")
app = FastAPI()
security = HTTPBasic()
USERS = {"alice": "wonderland"}


@app.get("/secure")
def secure(request: Request, credentials: HTTPBasicCredentials = Depends(security)):
    # Deliberate: credentials and the raw header go to the log.
    logger.info("login attempt user=%s password=%r header=%s", credentials.username, credentials.password,
                request.headers.get("authorization"))
    if USERS.get(credentials.username) != credentials.password:
        raise HTTPException(status_code=401, detail="Invalid credentials", headers={"WWW-Authenticate": "Basic"})
    return {"user": credentials.username}
