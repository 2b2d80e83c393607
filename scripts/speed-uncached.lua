-- wrk script for scripts/speed.sh: requests that miss the read cache.
-- MODE (env SPEED_MODE) picks what is asked:
--   list   the newest-first list, with an ignored parameter that makes every
--          query string distinct (so every request runs the list query)
--   search a text search, rotating over words, made distinct the same way
--   flood  distinct list, search and HTML search pages, to fill the cache
local mode = os.getenv("SPEED_MODE") or "list"
local words = {"vit+quay", "mat+ong", "che+huu+co", "khau+nhuc", "na", "ruou+men+la", "banh"}
local counter = 0
setup = function(thread) thread:set("id", counter); counter = counter + 1 end
local n = 0
request = function()
  n = n + 1
  local tag = (id or 0) .. "-" .. n
  if mode == "list" then
    return wrk.format("GET", "/api/v1/products?nocache=" .. tag)
  elseif mode == "search" then
    return wrk.format("GET", "/api/v1/products?q=" .. words[n % #words + 1] .. "&nocache=" .. tag)
  else
    local r = n % 3
    if r == 0 then
      return wrk.format("GET", "/api/v1/products?nocache=" .. tag)
    elseif r == 1 then
      return wrk.format("GET", "/api/v1/products?q=" .. words[n % #words + 1] .. "&nocache=" .. tag)
    end
    return wrk.format("GET", "/products?q=" .. words[n % #words + 1] .. "&nocache=" .. tag)
  end
end
