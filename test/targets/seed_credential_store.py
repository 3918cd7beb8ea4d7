# From ../shared/seeds/004 (memory leaks), the naive handler, indentation restored, behaviour
# unchanged: decoded credentials go into the module-level `credential_store` forever; a malformed
# token crashes into a 500. Note the document's own quirk: `auth: str = Header(None)` makes FastAPI
# read a header literally named `auth`, not `Authorization`.
from fastapi import FastAPI, Depends, HTTPException, Header
import base64

app = FastAPI()
credential_store = {}  # Intentionally retained across requests; risky


def get_basic_auth(auth: str = Header(None)):
    if not auth or not auth.startswith('Basic '):
        raise HTTPException(status_code=401, detail='Missing or invalid Authorization header')
    token = auth.split(' ')[1]
    decoded = base64.b64decode(token).decode('utf-8')
    user, pwd = decoded.split(':', 1)
    # Storing per-request data in a global structure can retain memory
    credential_store[user] = {'password': pwd, 'raw': decoded}
    return user


@app.get('/items')
def read_items(user: str = Depends(get_basic_auth)):
    return {'user': user, 'data': 'example'}
