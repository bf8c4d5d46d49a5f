# The seed's laptop server (000_9a1399128213b985.txt, step 10), unchanged except that the address and port come
# from the command line so the benchmark can run it on loopback beside Espwire.
import socket
import sys

server_ip = sys.argv[1] if len(sys.argv) > 1 else "0.0.0.0"  # localhost
server_port = int(sys.argv[2]) if len(sys.argv) > 2 else 12345

server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server_socket.bind((server_ip, server_port))
server_socket.listen(1)
print(f"Listening '{server_ip}:{server_port}'\n")

while True:
    client_socket, client_address = server_socket.accept()
    print(f"Accepted connection from {client_address}")

    data = client_socket.recv(1024)  # Receive up to 1024 bytes of data
    print(f"Received data : {data.decode('utf-8')}")

    client_socket.close()
