# From ../shared/seeds/004, the "safer pattern", indentation restored, behaviour unchanged:
# credentials are decoded per request and never stored; decode errors become 401. (Same `auth`
# header quirk as the naive version. `binascii.Error` subclasses ValueError, so it is caught.)
from fastapi import FastAPI, Depends, HTTPException, Header, Security
import base64

app = FastAPI()


def get_basic_auth(auth: str = Header(None)):
    if not auth or not auth.startswith('Basic '):
        raise HTTPException(status_code=401, detail='Missing or invalid Authorization header')
    try:
        token = auth.split(' ')[1]
        decoded = base64.b64decode(token).decode('utf-8')
        user, pwd = decoded.split(':', 1)
        # Return only what is needed; avoid storing raw credentials
        return {'user': user, 'password': pwd}
    except (IndexError, UnicodeDecodeError, ValueError):
        raise HTTPException(status_code=401, detail='Invalid authorization token')


@app.get('/items')
def read_items(credentials: dict = Security(get_basic_auth)):
    # Use credentials within the request scope; no global retention
    return {'user': credentials['user'], 'data': 'example'}
