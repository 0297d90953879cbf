// What went wrong with a security key or passkey, said on the page: django-allauth's
// webauthn.js dispatches "allauth.error" and, unless someone handles it, only writes to the
// console. The messages come from the page's <script type="application/json"
// id="webauthn-messages"> block, in the person's language.
(function () {
  document.addEventListener('allauth.error', function (event) {
    const data = document.getElementById('webauthn-messages')
    if (!data) {
      return
    }
    const messages = JSON.parse(data.textContent)
    const exception = event.detail && event.detail.exception
    const name = exception && exception.name
    let box = document.getElementById('webauthn-error')
    if (!box) {
      box = document.createElement('p')
      box.id = 'webauthn-error'
      box.className = 'message error'
      box.setAttribute('role', 'alert')
      const heading = document.querySelector('main h1')
      if (heading) {
        heading.after(box)
      } else {
        document.querySelector('main').prepend(box)
      }
    }
    box.textContent = messages[name] || messages.other
    event.preventDefault()
  })
})()
