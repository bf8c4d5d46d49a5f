// EspwireClient: sends readings to an Espwire receiver (`espwire serve`) and keeps each one in a ring until the
// receiver acknowledges it (docs/ack-protocol.md, version 1). One session over the core's Client (TCP) or UDP
// interface; fixed buffers chosen at compile time; loop() does the non-blocking work and returns.
#ifndef ESPWIRE_CLIENT_H
#define ESPWIRE_CLIENT_H

#include <Arduino.h>
#include <Client.h>
#include <Udp.h>

// Bytes of unacknowledged readings kept (each reading costs its payload + 2). Define before including Espwire.h.
#ifndef ESPWIRE_RING_BYTES
#define ESPWIRE_RING_BYTES 8192
#endif

// One write to the network: the longest payload is this minus the "#SEQ " prefix and line ending.
#ifndef ESPWIRE_TX_BYTES
#define ESPWIRE_TX_BYTES 512
#endif

// The session behind EspwireClient: owns no memory, works on the ring and write buffer it is given.
class EspwireSession {
public:
  enum Mode : uint8_t {
    Persistent,  // one connection kept open (default)
    PerMessage,  // connect, hello, readings, ACK, close: the seed's style, made safe
    Datagram,    // UDP: every datagram carries the hello and the unacknowledged readings
  };

  enum Event : uint8_t {
    Connected,      // the receiver answered the hello; value: its ACK N
    Disconnected,   // the connection broke or stopped answering; value: readings pending
    ConnectFailed,  // no connection (or no UDP reply); value: milliseconds until the next try
    Dropped,        // the ring was full and the oldest reading went; value: dropped so far
    Rejected,       // the receiver refused a reading (NAK) and it was discarded; value: its seq
  };

  typedef void (*EventHandler)(Event event, uint64_t value);

  EspwireSession(Client& client, uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes);
  EspwireSession(UDP& udp, uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes);

  // server and deviceName are kept as pointers: pass string literals or buffers that outlive the session.
  // deviceName: 1 to 64 of A-Z a-z 0-9 . _ -  Returns false when the name is not valid.
  bool begin(const char* server, uint16_t port, const char* deviceName, uint16_t udpLocalPort = 0);

  // Queues one reading (no line breaks or control bytes; 1 to maxPayload() bytes) and returns at once.
  // False when the payload cannot be sent; when the ring is full the oldest reading is dropped instead.
  bool send(const char* payload);
  bool send(const char* payload, size_t length);
  bool send(long value);

  // Connects, says hello, sends, reads ACKs, resends after a reconnect. Call it often; it does not block
  // (except inside the core's connect()).
  void loop();

  uint32_t pending() const { return _count; }        // readings kept, not yet acknowledged
  uint32_t dropped() const { return _dropped; }      // oldest readings dropped because the ring was full
  uint32_t rejected() const { return _rejected; }    // readings the receiver refused (NAK)
  uint64_t acknowledged() const { return _acked; }   // the receiver's latest ACK N
  bool connected() const { return _state == Streaming; }
  size_t maxPayload() const { return _txBytes > 32 ? _txBytes - 32 : 0; }
  size_t ringBytes() const { return _ringBytes; }

  void setMode(Mode mode) { _mode = mode; }
  Mode mode() const { return _mode; }
  void onEvent(EventHandler handler) { _handler = handler; }

protected:
  typedef void (*ConnectHook)(Client& client);
  ConnectHook _afterConnect;

private:
  enum State : uint8_t { Idle, AwaitHello, Streaming, AwaitDatagram };

  Client* _client;
  UDP* _udp;
  uint8_t* _ring;
  size_t _ringBytes;
  char* _tx;
  size_t _txBytes;
  size_t _head;       // byte offset of the oldest reading
  size_t _used;       // bytes in the ring
  uint32_t _count;    // readings in the ring
  uint32_t _sent;     // readings from the oldest written on this connection
  size_t _sentBytes;  // their bytes in the ring
  uint64_t _headSeq;  // seq of the oldest reading (of the next one when the ring is empty)
  uint64_t _maxWritten;
  uint64_t _acked;
  bool _seqKnown;     // a hello ACK told us where numbering continues
  uint32_t _dropped;
  uint32_t _rejected;
  const char* _server;
  uint16_t _port;
  const char* _name;
  Mode _mode;
  State _state;
  uint32_t _since;        // when the state began
  uint32_t _progressAt;   // last ACK, or first write after one
  uint32_t _nextAttempt;
  uint32_t _backoff;
  uint32_t _rng;
  bool _failing;
  EventHandler _handler;
  char _rx[48];
  uint8_t _rxLen;
  bool _rxOverflow;

  void init(uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes);
  void loopStream(uint32_t now);
  void loopDatagram(uint32_t now);
  void readStream();
  void feed(const uint8_t* data, size_t length);
  void handleLine(const char* line, size_t length);
  void onAck(uint64_t n);
  void onNak(uint64_t seq);
  bool writeHello();
  bool writeUnsent(bool fromStart);
  size_t appendHello(size_t at);
  size_t appendReading(size_t at, uint32_t index, size_t offset, size_t* recordBytes);
  size_t recordLength(size_t offset) const;
  void removeOldest();
  void dropOldest();
  void closeAndRetry(uint32_t now, bool failed);
  void scheduleRetry(uint32_t now);
  uint32_t nextRandom();
  void emit(Event event, uint64_t value) { if (_handler) _handler(event, value); }
};

// The class a sketch uses: the session with its ring and write buffer as members, sized at compile time.
template <size_t RingBytes = ESPWIRE_RING_BYTES, size_t TxBytes = ESPWIRE_TX_BYTES>
class EspwireClientWith : public EspwireSession {
public:
  // A WiFiClient (or any Client) for TCP, a WiFiUDP (or any UDP) for datagrams.
  template <class C>
  explicit EspwireClientWith(C& link) : EspwireSession(link, _ringStorage, RingBytes, _txStorage, TxBytes) {
    _afterConnect = hookFor(link, &link);
#ifdef ESPWIRE_PER_MESSAGE
    if (mode() == Persistent) setMode(PerMessage);
#endif
  }

private:
  uint8_t _ringStorage[RingBytes];
  char _txStorage[TxBytes];

  // Readings are small and ACKs wait on them: Nagle would hold each line back for an ACK round trip.
  template <class C>
  static auto applyNoDelay(C& c, int) -> decltype(c.setNoDelay(true), void()) { c.setNoDelay(true); }
  template <class C>
  static void applyNoDelay(C&, long) {}
  template <class C>
  static void noDelay(Client& c) { applyNoDelay(static_cast<C&>(c), 0); }
  template <class C>
  static ConnectHook hookFor(C&, Client*) { return &noDelay<C>; }
  template <class C>
  static ConnectHook hookFor(C&, UDP*) { return 0; }
};

typedef EspwireClientWith<> EspwireClient;

#endif
