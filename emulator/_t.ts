import { loadSpecValidator } from "./spec-validator.js";
const t0=Date.now();
const v = await loadSpecValidator();
console.log("load", Date.now()-t0);
const tests: any[] = [
 {method:"POST", path:"/v2/bot/message/push", body:{to:"U1", messages:[{type:"text"},{type:"foo"},{type:"flex", altText:"a", contents:{type:"bubble", body:{type:"box", layout:"vertical", contents:[{type:"text"},{type:"button", action:{type:"uri", uri:"not a uri"}}]}}}]}},
 {method:"POST", path:"/v2/bot/richmenu", body:{size:{width:2500,height:1686}, selected:false, name:"n", chatBarText:"123456789012345", areas:[{bounds:{x:0,y:0,width:1,height:1}, action:{type:"postback"}}]}},
 {method:"POST", path:"/v2/bot/user/Uabc/richmenu/richmenu-1", body:undefined},
 {method:"GET", path:"/v2/bot/audienceGroup/123", body:undefined},
 {method:"GET", path:"/v2/bot/audienceGroup/list", body:undefined},
 {method:"POST", path:"/v2/bot/message/narrowcast", body:{messages:[{type:"text",text:"x"}], recipient:{type:"audience", audienceGroupId:"x"}}},
];
for (const t of tests) { const m = v.match(t); console.log(m); if (m) { const t1=Date.now(); console.log(JSON.stringify(v.validate({...t, headers:{"content-type":"application/json"}, query:{}}, m)), Date.now()-t1); } }
