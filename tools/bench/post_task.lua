-- wrk script: create tasks (POST /api/v1/tasks) with a distinct title each.
local counter = 0
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TASKFLOW_TOKEN")}
request = function()
  counter = counter + 1
  local body = '{"title":"bench task ' .. counter .. '","priority":2}'
  return wrk.format("POST", "/api/v1/tasks", headers, body)
end

-- Any answer but 201 is an error worth seeing in the summary.
response = function(status)
  if status ~= 201 then
    wrk.thread:set("bad", (wrk.thread:get("bad") or 0) + 1)
  end
end
