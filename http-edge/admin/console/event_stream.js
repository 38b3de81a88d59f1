// Reads the admin event stream (GET /admin/api/stream, text/event-stream)
// through fetch() rather than EventSource, because EventSource cannot send an
// Authorization header and a token in the URL would end up in logs. Parses
// the Server-Sent Events format itself (HTML Living Standard §9.2.6),
// reconnects with backoff and resumes with Last-Event-ID.

export class event_stream {
  #session;
  #on_event;
  #on_state;
  #abort = null;
  #last_id = null;
  #running = false;

  // on_event({event, data, id}); on_state('live' | 'down')
  constructor(session, on_event, on_state) {
    this.#session = session;
    this.#on_event = on_event;
    this.#on_state = on_state;
  }

  start() {
    if (this.#running) return;
    this.#running = true;
    this.#loop();
  }

  stop() {
    this.#running = false;
    this.#abort?.abort();
  }

  async #loop() {
    let backoff = 1000;
    while (this.#running) {
      this.#abort = new AbortController();
      try {
        const headers = {Accept: 'text/event-stream'};
        if (this.#last_id) headers['Last-Event-ID'] = this.#last_id;
        const response = await this.#session.fetch('/admin/api/stream', {headers, signal: this.#abort.signal});
        const type = response.headers.get('Content-Type') || '';
        if (response.ok && type.startsWith('text/event-stream') && response.body) {
          this.#on_state('live');
          backoff = 1000;
          await this.#read(response.body);
        } else {
          await response.body?.cancel();
        }
      } catch {
        // Aborted, or the connection dropped: fall through to the retry.
      }
      if (!this.#running) break;
      this.#on_state('down');
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 15000);
    }
  }

  async #read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = fresh_event();
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += value;
      for (;;) {
        const end = buffer.search(/[\r\n]/);
        if (end < 0) break;
        // A CR at the end of a chunk may be the first half of a CRLF.
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1));
        event = this.#take_line(line, event);
      }
    }
  }

  #take_line(line, event) {
    if (line === '') {
      if (event.data.length) {
        if (event.id !== null) this.#last_id = event.id;
        this.#on_event({event: event.event || 'message', data: event.data.join('\n'), id: event.id});
      }
      return fresh_event();
    }
    if (line.startsWith(':')) return event;  // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') event.data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id' && !value.includes('\0')) event.id = value;
    return event;
  }
}

function fresh_event() {
  return {event: '', data: [], id: null};
}

// The event's data as JSON when it is JSON, else null.
export function event_json(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    return null;
  }
}
