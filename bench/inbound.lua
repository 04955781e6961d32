-- wrk script for bench/inbound.py: signed Telegram updates, each with its own update_id.
--
-- bench/inbound.py runs `wrk -t THREADS -c CONNECTIONS -s bench/inbound.lua URL` with the
-- run's figures in the environment (BENCH_*). Thread i sends its share of BENCH_COUNT
-- updates, ids from its own offset on, so no two updates in a run share an id; the n-th
-- update of the run comes from chat BENCH_CHAT_BASE + n % BENCH_CHATS. A thread stops once
-- its share is answered and leaves a marker file, and inbound.py then ends wrk (wrk itself
-- only knows durations). With BENCH_RATE > 0 each thread spaces its sends on a clock so
-- that the run as a whole sends BENCH_RATE updates/s. done() prints one JSON line.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
int gettimeofday(bench_timeval *tv, void *tz);
]]
local clock = ffi.new("bench_timeval")

local function now_ms()
   ffi.C.gettimeofday(clock, nil)
   return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_usec) / 1000
end

local function number(name)
   return tonumber(os.getenv(name))
end

local FIRST_ID = number("BENCH_FIRST_ID")
local COUNT = number("BENCH_COUNT")
local CHATS = number("BENCH_CHATS")
local CHAT_BASE = number("BENCH_CHAT_BASE")
local RATE = number("BENCH_RATE")  -- updates/s for the whole run; 0: as fast as it goes
local THREADS = number("BENCH_THREADS")
local SECRET = os.getenv("BENCH_SECRET")
local MARKERS = os.getenv("BENCH_MARKERS")  -- a folder: thread i writes MARKERS/i when done
local PORTS = {}  -- one server per port; thread i sends to PORTS[i % #PORTS + 1]
for port in string.gmatch(os.getenv("BENCH_PORTS"), "%d+") do
   table.insert(PORTS, port)
end
local IDLE_MS = 3600000  -- what a connection waits once its thread has sent its share

-- setup: runs in wrk's main state, once per thread, before the thread starts ----------

local threads = {}

function setup(thread)
   local index = #threads
   local quota = math.floor(COUNT / THREADS)
   local offset = index * quota + math.min(index, COUNT % THREADS)
   if index < COUNT % THREADS then
      quota = quota + 1
   end
   thread.addr = wrk.lookup(wrk.host, PORTS[index % #PORTS + 1])[1]
   thread:set("index", index)
   thread:set("offset", offset)
   thread:set("quota", quota)
   table.insert(threads, thread)
end

-- running: each thread has its own state ----------------------------------------------

local headers = {
   ["Content-Type"] = "application/json",
   ["X-Telegram-Bot-Api-Secret-Token"] = SECRET,
}
local BODY = '{"update_id": %d, "message": {"message_id": %d, "date": 1700000000, '
   .. '"text": "hej", "from": {"id": %d, "is_bot": false, "first_name": "B"}, '
   .. '"chat": {"id": %d, "type": "private", "first_name": "B"}}}'

function init(args)
   reserved = 0   -- sends promised by delay(); each is followed by one request()
   sent = 0
   answered = 0
   statuses = {}  -- HTTP status -> count
   first_sent_ms = nil
   last_answer_ms = nil
   latest_ms = 0  -- the most a send started after its planned time (paced runs)
   period_ms = RATE > 0 and 1000 * THREADS / RATE or 0
   next_ms = nil
   if quota == 0 then
      mark_done()
   end
end

function delay()
   if reserved >= quota then
      return IDLE_MS
   end
   reserved = reserved + 1
   if period_ms == 0 then
      return 0
   end
   local now = now_ms()
   next_ms = next_ms or now
   local wait = next_ms - now
   next_ms = next_ms + period_ms
   if wait < 0 then
      latest_ms = math.max(latest_ms, -wait)
      return 0
   end
   return wait
end

function request()
   local n = offset + sent
   local id = FIRST_ID + n
   local chat = CHAT_BASE + n % CHATS
   -- wrk calls request() once before the thread starts, to look at the request, and
   -- never sends that one; every real send follows a delay() that reserved it.
   if reserved > 0 then
      sent = sent + 1
      first_sent_ms = first_sent_ms or now_ms()
   end
   return wrk.format("POST", wrk.path, headers, string.format(BODY, id, id, chat, chat))
end

function response(status, _, _)
   answered = answered + 1
   statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
   if answered == quota then
      last_answer_ms = now_ms()
      mark_done()
      wrk.thread:stop()
   end
end

function mark_done()
   local marker = assert(io.open(MARKERS .. "/" .. index, "w"))
   marker:close()
end

-- done: back in the main state ----------------------------------------------------------

function done(summary, latency, _)
   local sent, started, ended, latest, statuses, answered = 0, nil, nil, 0, {}, {}
   for _, thread in ipairs(threads) do
      sent = sent + thread:get("sent")
      table.insert(answered, string.format("%d", thread:get("answered")))
      local first, last = thread:get("first_sent_ms"), thread:get("last_answer_ms")
      if first and (not started or first < started) then started = first end
      if last and (not ended or last > ended) then ended = last end
      latest = math.max(latest, thread:get("latest_ms"))
      for status, count in pairs(thread:get("statuses")) do
         statuses[status] = (statuses[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(statuses) do
      table.insert(parts, string.format('"%s": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      '{"sent": %d, "completed": %d, "elapsed_ms": %.3f, "statuses": {%s}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
      .. '"p50_us": %d, "p99_us": %d, "latest_ms": %.3f, "per_thread": [%s]}\n',
      sent, summary.requests, (ended or 0) - (started or 0), table.concat(parts, ", "),
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      latency:percentile(50), latency:percentile(99), latest, table.concat(answered, ", ")))
end
