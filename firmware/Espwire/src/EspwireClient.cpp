#include "EspwireClient.h"

namespace {

const uint32_t kBackoffFirstMs = 500;
const uint32_t kBackoffMaxMs = 30000;
const uint32_t kHelloTimeoutMs = 5000;
const uint32_t kAckTimeoutMs = 10000;
const uint32_t kDatagramTimeoutMs = 1000;
const size_t kMaxReadPerLoop = 512;

size_t formatU64(char* out, uint64_t v) {
  char digits[20];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + (int)(v % 10));
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; i++) out[i] = digits[n - 1 - i];
  return n;
}

// Decimal digits only, at most 2^63-1; false on anything else.
bool parseU64(const char* s, size_t length, uint64_t* value) {
  if (length == 0 || length > 19) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < length; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (v > 9223372036854775807ULL) return false;
  *value = v;
  return true;
}

bool validName(const char* name) {
  size_t n = 0;
  for (; name[n] != 0; n++) {
    char c = name[n];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok || n >= 64) return false;
  }
  return n > 0;
}

}  // namespace

EspwireSession::EspwireSession(Client& client, uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes)
    : _afterConnect(0), _client(&client), _udp(0), _mode(Persistent) {
  init(ring, ringBytes, tx, txBytes);
}

EspwireSession::EspwireSession(UDP& udp, uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes)
    : _afterConnect(0), _client(0), _udp(&udp), _mode(Datagram) {
  init(ring, ringBytes, tx, txBytes);
}

void EspwireSession::init(uint8_t* ring, size_t ringBytes, char* tx, size_t txBytes) {
  _ring = ring;
  _ringBytes = ringBytes;
  _tx = tx;
  _txBytes = txBytes;
  _head = _used = 0;
  _count = _sent = 0;
  _sentBytes = 0;
  _headSeq = 1;
  _maxWritten = 0;
  _acked = 0;
  _seqKnown = false;
  _dropped = _rejected = 0;
  _server = 0;
  _port = 0;
  _name = 0;
  _state = Idle;
  _since = _progressAt = _nextAttempt = 0;
  _backoff = kBackoffFirstMs;
  _rng = 0x9e3779b9u;
  _failing = true;  // so the first hello ACK is announced
  _handler = 0;
  _rxLen = 0;
  _rxOverflow = false;
}

bool EspwireSession::begin(const char* server, uint16_t port, const char* deviceName, uint16_t udpLocalPort) {
  if (server == 0 || deviceName == 0 || !validName(deviceName)) return false;
  _server = server;
  _port = port;
  _name = deviceName;
  // Jitter must differ between devices that boot together: seed it from the name and the clock.
  for (const char* p = deviceName; *p; p++) _rng = (_rng ^ (uint8_t)*p) * 16777619u;
  _rng ^= millis();
  if (_rng == 0) _rng = 1;
  _nextAttempt = millis();
  if (_udp) {
    _mode = Datagram;
    _udp->begin(udpLocalPort);
  }
  return true;
}

bool EspwireSession::send(long value) {
  char text[24];
  size_t n = 0;
  uint64_t magnitude;
  if (value < 0) {
    text[n++] = '-';
    magnitude = (uint64_t)(-(value + 1)) + 1;
  } else {
    magnitude = (uint64_t)value;
  }
  n += formatU64(text + n, magnitude);
  return send(text, n);
}

bool EspwireSession::send(const char* payload) {
  if (payload == 0) return false;
  return send(payload, strlen(payload));
}

bool EspwireSession::send(const char* payload, size_t length) {
  if (payload == 0 || length == 0 || length > maxPayload() || length + 2 > _ringBytes) return false;
  for (size_t i = 0; i < length; i++) {
    uint8_t c = (uint8_t)payload[i];
    if (c < 0x20 || c == 0x7f) return false;  // the receiver would NAK it as control-bytes
  }
  while (_ringBytes - _used < length + 2) dropOldest();
  size_t at = (_head + _used) % _ringBytes;
  _ring[at] = (uint8_t)(length & 0xff);
  _ring[(at + 1) % _ringBytes] = (uint8_t)(length >> 8);
  at = (at + 2) % _ringBytes;
  size_t first = _ringBytes - at < length ? _ringBytes - at : length;
  memcpy(_ring + at, payload, first);
  memcpy(_ring, payload + first, length - first);
  _used += length + 2;
  _count++;
  return true;
}

size_t EspwireSession::recordLength(size_t offset) const {
  size_t at = (_head + offset) % _ringBytes;
  return (size_t)_ring[at] | ((size_t)_ring[(at + 1) % _ringBytes] << 8);
}

void EspwireSession::removeOldest() {
  size_t bytes = recordLength(0) + 2;
  _head = (_head + bytes) % _ringBytes;
  _used -= bytes;
  _count--;
  if (_sent > 0) {
    _sent--;
    _sentBytes -= bytes;
  }
  _headSeq++;  // numbering is by position: the next reading keeps its seq
}

void EspwireSession::dropOldest() {
  // A reading dropped before any hello ACK never had a seq, so numbering must not skip for it.
  bool numbered = _seqKnown;
  removeOldest();
  if (!numbered) _headSeq--;
  _dropped++;
  emit(Dropped, _dropped);
}

void EspwireSession::loop() {
  if (_server == 0) return;
  uint32_t now = millis();
  if (_mode == Datagram) loopDatagram(now);
  else loopStream(now);
}

void EspwireSession::loopStream(uint32_t now) {
  if (_state == Idle) {
    if (_mode == PerMessage && _count == 0) return;  // nothing to say
    if ((int32_t)(now - _nextAttempt) < 0) return;
    if (!_client->connect(_server, _port)) {
      _failing = true;
      scheduleRetry(now);
      emit(ConnectFailed, _nextAttempt - now);
      return;
    }
    if (_afterConnect) _afterConnect(*_client);
    _rxLen = 0;
    _rxOverflow = false;
    _sent = 0;
    _sentBytes = 0;
    _state = AwaitHello;
    _since = now;
    if (!writeHello()) {
      closeAndRetry(now, true);
      return;
    }
  }
  readStream();
  if (_state == Idle) return;
  if (!_client->connected()) {
    closeAndRetry(now, true);
    return;
  }
  if (_state == AwaitHello) {
    if ((int32_t)(now - _since) > (int32_t)kHelloTimeoutMs) closeAndRetry(now, true);
    return;
  }
  if (_sent < _count && !writeUnsent(false)) {
    closeAndRetry(now, true);
    return;
  }
  // Signed: _progressAt may have been set after `now` was read (by the write just above).
  if (_sent > 0 && (int32_t)(now - _progressAt) > (int32_t)kAckTimeoutMs) {
    closeAndRetry(now, true);  // the receiver stopped acknowledging: a new connection resends
    return;
  }
  if (_mode == PerMessage && _count == 0) {
    _client->stop();
    _state = Idle;
    _nextAttempt = now;
  }
}

void EspwireSession::loopDatagram(uint32_t now) {
  if (_state == AwaitDatagram) {
    int size = _udp->parsePacket();
    if (size > 0) {
      _rxLen = 0;
      _rxOverflow = false;
      uint8_t chunk[64];
      int n;
      while ((n = _udp->read(chunk, sizeof(chunk))) > 0) feed(chunk, (size_t)n);
      if (_rxLen > 0) feed((const uint8_t*)"\n", 1);  // a reply without a final LF still counts
      return;  // onAck moved us to Idle if it was an ACK
    }
    if ((int32_t)(now - _since) > (int32_t)kDatagramTimeoutMs) {
      _state = Idle;
      _failing = true;
      scheduleRetry(now);
      emit(ConnectFailed, _nextAttempt - now);
    }
    return;
  }
  if (_seqKnown && _count == 0) return;
  if ((int32_t)(now - _nextAttempt) < 0) return;
  // Every datagram: the hello, then as many unacknowledged readings as fit, oldest first.
  _sent = 0;
  _sentBytes = 0;
  if (!_udp->beginPacket(_server, _port)) {
    _failing = true;
    scheduleRetry(now);
    emit(ConnectFailed, _nextAttempt - now);
    return;
  }
  writeUnsent(true);
  _state = AwaitDatagram;
  _since = now;
}

void EspwireSession::readStream() {
  uint8_t chunk[64];
  size_t total = 0;
  while (_state != Idle && total < kMaxReadPerLoop && _client->available() > 0) {
    int n = _client->read(chunk, sizeof(chunk));
    if (n <= 0) break;
    total += (size_t)n;
    feed(chunk, (size_t)n);
  }
}

void EspwireSession::feed(const uint8_t* data, size_t length) {
  for (size_t i = 0; i < length; i++) {
    char c = (char)data[i];
    if (c == '\n') {
      size_t n = _rxLen;
      if (n > 0 && _rx[n - 1] == '\r') n--;
      if (!_rxOverflow) handleLine(_rx, n);
      _rxLen = 0;
      _rxOverflow = false;
    } else if (_rxLen < sizeof(_rx)) {
      _rx[_rxLen++] = c;
    } else {
      _rxOverflow = true;  // no line we understand is this long
    }
  }
}

void EspwireSession::handleLine(const char* line, size_t length) {
  uint64_t value;
  if (length > 4 && memcmp(line, "ACK ", 4) == 0) {
    if (parseU64(line + 4, length - 4, &value)) onAck(value);
  } else if (length > 4 && memcmp(line, "NAK ", 4) == 0) {
    size_t end = 4;
    while (end < length && line[end] != ' ') end++;
    if (parseU64(line + 4, end - 4, &value)) onNak(value);
  }
}

void EspwireSession::onAck(uint64_t n) {
  uint32_t now = millis();
  _acked = n;
  _progressAt = now;
  bool hello = _state == AwaitHello || _state == AwaitDatagram;
  if (!_seqKnown) {
    // A fresh boot: the receiver has readings up to n from this device's earlier life; ours follow.
    _seqKnown = true;
    _headSeq = n + 1;
  } else {
    // Only readings we actually wrote can be stored; never pop more than that.
    uint64_t upTo = n < _maxWritten ? n : _maxWritten;
    while (_count > 0 && _headSeq <= upTo) removeOldest();
    // The receiver holds more than we ever sent (another life, a restored store): number what is left after it.
    if (_headSeq <= n) _headSeq = n + 1;
  }
  if (_state == AwaitDatagram) _state = Idle;
  if (hello) {
    if (_state == AwaitHello) _state = Streaming;
    _backoff = kBackoffFirstMs;
    _nextAttempt = now;
    // Announced once per recovery, not for every per-message connection or datagram.
    if (_failing) emit(Connected, n);
    _failing = false;
  }
}

void EspwireSession::onNak(uint64_t seq) {
  if (_count > 0 && _seqKnown && seq == _headSeq) removeOldest();
  _rejected++;
  emit(Rejected, seq);
}

bool EspwireSession::writeHello() {
  size_t n = appendHello(0);
  return _client->write((const uint8_t*)_tx, n) == n;
}

size_t EspwireSession::appendHello(size_t at) {
  const char* parts[3] = {"@id ", _name, " ack\r\n"};
  for (int p = 0; p < 3; p++)
    for (const char* c = parts[p]; *c && at < _txBytes; c++) _tx[at++] = *c;
  return at;
}

size_t EspwireSession::appendReading(size_t at, uint32_t index, size_t offset, size_t* recordBytes) {
  size_t length = recordLength(offset);
  *recordBytes = length + 2;
  uint64_t seq = _headSeq + index;
  char digits[20];
  size_t d = formatU64(digits, seq);
  if (at + 1 + d + 1 + length + 2 > _txBytes) return 0;
  _tx[at++] = '#';
  memcpy(_tx + at, digits, d);
  at += d;
  _tx[at++] = ' ';
  size_t from = (_head + offset + 2) % _ringBytes;
  size_t first = _ringBytes - from < length ? _ringBytes - from : length;
  memcpy(_tx + at, _ring + from, first);
  memcpy(_tx + at + first, _ring, length - first);
  at += length;
  _tx[at++] = '\r';
  _tx[at++] = '\n';
  return at;
}

bool EspwireSession::writeUnsent(bool datagram) {
  size_t at = datagram ? appendHello(0) : 0;
  if (!_seqKnown) {
    // Numbering starts after the hello's ACK: a datagram asks with the hello alone.
    if (datagram) {
      _udp->write((const uint8_t*)_tx, at);
      return _udp->endPacket() != 0;
    }
    return true;
  }
  uint32_t index = _sent;
  size_t offset = _sentBytes;
  while (index < _count) {
    size_t bytes;
    size_t next = appendReading(at, index, offset, &bytes);
    if (next == 0) break;
    at = next;
    index++;
    offset += bytes;
  }
  uint64_t lastSeq = _headSeq + index - 1;
  if (datagram) {
    _udp->write((const uint8_t*)_tx, at);
    if (_udp->endPacket() == 0) return false;
  } else if (_client->write((const uint8_t*)_tx, at) != at) {
    return false;
  }
  if (_sent == 0) _progressAt = millis();
  _sent = index;
  _sentBytes = offset;
  if (index > 0 && lastSeq > _maxWritten) _maxWritten = lastSeq;
  return true;
}

void EspwireSession::closeAndRetry(uint32_t now, bool failed) {
  bool wasStreaming = _state == Streaming;
  _client->stop();
  _state = Idle;
  _sent = 0;
  _sentBytes = 0;
  if (wasStreaming && failed) {
    // A working link that broke: try again soon, then back off if the receiver stays away.
    _backoff = kBackoffFirstMs;
    emit(Disconnected, _count);
  }
  if (failed) _failing = true;
  scheduleRetry(now);
}

void EspwireSession::scheduleRetry(uint32_t now) {
  // Exponential backoff with jitter in [backoff/2, backoff): devices that lost the receiver together do not all
  // come back in the same millisecond.
  uint32_t wait = _backoff / 2 + nextRandom() % (_backoff / 2);
  _nextAttempt = now + wait;
  _backoff = _backoff >= kBackoffMaxMs / 2 ? kBackoffMaxMs : _backoff * 2;
}

uint32_t EspwireSession::nextRandom() {
  uint32_t x = _rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  _rng = x;
  return x;
}
