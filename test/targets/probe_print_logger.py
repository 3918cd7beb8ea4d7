# probe target: auth events written with print() to stdout, complete with context. Whether they
# count depends on buffering: unbuffered they arrive at once; block-buffered (PYTHONUNBUFFERED
# unset, stdout a pipe, and no access log flushing the same stream) they arrive only when uvicorn
# exits, too late for any alert.
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic()


@app.get("/secure")
def secure(request: Request, credentials: HTTPBasicCredentials = Depends(security)):
    print(f"auth_failure user={credentials.username} client_ip={request.client.host} method={request.method} "
          f"path={request.url.path} status=401 request_id={request.headers.get('x-request-id')}")
    raise HTTPException(status_code=401, detail="Invalid credentials", headers={"WWW-Authenticate": "Basic"})
