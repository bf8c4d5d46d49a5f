/* The physical limit for per-message connections: accept, read until the peer's end, close. Nothing else.
   One thread, epoll, non-blocking sockets. Prints "Listening 'ADDR:PORT'" and runs until killed.
   Usage: bare_server PORT   (127.0.0.1 only; PORT 0 picks one)
   Written for Espwire's benchmark (bench/receiver/ack.sh); compiled with gcc at bench time. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 65535) != 0) {
        perror("bare_server: bind/listen");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);
    printf("Listening '127.0.0.1:%d'\n\n", ntohs(address.sin_port));
    fflush(stdout);
    int poll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event ready[256];
    char buffer[65536];
    for (;;) {
        int count = epoll_wait(poll, ready, 256, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                int accepted;
                while ((accepted = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct epoll_event client = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = accepted};
                    epoll_ctl(poll, EPOLL_CTL_ADD, accepted, &client);
                }
                continue;
            }
            for (;;) {
                ssize_t got = read(fd, buffer, sizeof buffer);
                if (got > 0) continue;
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
                close(fd); /* the peer's end (or a reset): done with it */
                break;
            }
        }
    }
}
