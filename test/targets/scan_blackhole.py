# A TCP listener that never completes a handshake, the loopback stand-in for an unreachable host:
# its accept queue (backlog 0) is filled by two connections of its own and it never accepts, so the
# kernel drops every further SYN and a client's connect attempt times out. Prints its port, then waits.
import socket
import time

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(0)
fillers = []
for _ in range(2):
    filler = socket.socket()
    filler.setblocking(False)
    try:
        filler.connect(listener.getsockname())
    except BlockingIOError:
        pass
    fillers.append(filler)
time.sleep(0.2)
print(listener.getsockname()[1], flush=True)
while True:
    time.sleep(60)
