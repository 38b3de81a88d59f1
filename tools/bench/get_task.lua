-- wrk script: read tasks by id (GET /api/v1/tasks/{id}), cycling over the ids
-- listed one per line in the file named by TASK_IDS.
local ids = {}
for line in io.lines(os.getenv("TASK_IDS")) do
  ids[#ids + 1] = line
end
local i = 0
local headers = {["Authorization"] = "Bearer " .. os.getenv("TASKFLOW_TOKEN")}
request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/tasks/" .. ids[i], headers)
end
