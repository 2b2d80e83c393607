-- wrk script: searches that miss the read cache (a different price_min each
-- time), so every request reaches PostgreSQL.
local words = {"vit+quay", "mat+ong", "che+huu+co", "khau+nhuc", "na", "ruou+men+la", "vit+quya"}
request = function()
  local w = words[math.random(#words)]
  return wrk.format("GET", "/api/v1/products?q=" .. w .. "&price_min=" .. math.random(1, 10000000))
end
