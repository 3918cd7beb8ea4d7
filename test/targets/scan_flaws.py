# A Flask API with one hand-rolled Basic check and the flaws the scan rules look for, each on purpose:
# - 401 without WWW-Authenticate on /api/profile; a realm-less `Basic` challenge on /api/reports
# - the decoder crashes on malformed headers and the error handler returns the traceback
# - "No such user" versus "Wrong password '<password>' for <user>": enumeration and reflection
# - no throttling at all; /api/reports checks credentials on GET only (HEAD goes through)
# - /admin/users is secured in the spec but not in the code; no nosniff, no Cache-Control
# - a demo account left in: admin:admin
# Its spec is Swagger 2.0, served at /swagger.json.
import base64
import traceback

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
USERS = {"alice": "correct-horse-battery", "admin": "admin"}

SPEC = {
    "swagger": "2.0",
    "info": {"title": "flawed flask api", "version": "1"},
    "securityDefinitions": {"basic": {"type": "basic"}},
    "security": [{"basic": []}],
    "paths": {
        "/api/profile": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/api/reports/{year}": {
            "get": {
                "parameters": [{"name": "year", "in": "path", "required": True, "type": "integer", "enum": [2024, 2025]}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/admin/users": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
    },
}


def check_basic():
    """Returns (user, None) or (None, error response). Crashes on malformed input, on purpose."""
    header = request.headers.get("Authorization")
    if not header:
        return None, None
    token = header.split(" ")[1]
    user, password = base64.b64decode(token).decode("utf-8").split(":", 1)
    if user not in USERS:
        return None, jsonify(detail="No such user")
    if USERS[user] != password:
        return None, jsonify(detail=f"Wrong password '{password}' for {user}")
    return user, None


@app.errorhandler(Exception)
def show_error(exc):
    if isinstance(exc, HTTPException):  # 404s and 405s stay what they are
        return exc
    return Response(traceback.format_exc(), status=500, mimetype="text/plain")


@app.get("/swagger.json")
def swagger():
    return jsonify(SPEC)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/api/profile")
def profile():
    user, error = check_basic()
    if not user:
        response = error or jsonify(detail="Unauthorized")
        response.status_code = 401
        return response
    return jsonify(user=user, email="alice@example.com")


@app.route("/api/reports/<int:year>", methods=["GET", "HEAD"])
def reports(year):
    if request.method == "GET":
        user, error = check_basic()
        if not user:
            response = error or jsonify(detail="Unauthorized")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = "Basic"
            return response
    return jsonify(year=year, total=42)


@app.get("/admin/users")
def admin_users():
    return jsonify(users=sorted(USERS))
