// Back office, second factor: after a passkey is added, show the account's second-factor page again
// (where the new passkey and the recovery codes are); django-otp-webauthn's own script does the ceremony.
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var box = event.target.closest ? event.target.closest("[data-passkey-done]") : null;
  var done = box && box.getAttribute("data-passkey-done");
  if (done) {
    window.setTimeout(function () { window.location.assign(done); }, 600);
  }
});
